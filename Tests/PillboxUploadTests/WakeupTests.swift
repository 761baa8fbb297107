import PillboxUpload
import Testing

/// Each wait has a 600 s timer, so a `true` answer proves the signal ended it (a timer's end
/// answers false); no test bounds the wall clock, which the suite's start on a 2-core machine
/// stretches past 20 s for every test running then. A lost signal fails by the time limit.
@Suite("Wakeup: a signal is never lost", .timeLimit(.minutes(3)))
struct WakeupTests {
    @Test("A signal sent while nobody waits ends the next wait, not its timer")
    func keptForNextWait() async {
        let wakeup = Wakeup()
        wakeup.signal()
        #expect(await wakeup.wait(seconds: 600), "ended by the signal, not the timer")
        #expect(!wakeup.isPending, "the wait consumed it")
    }

    @Test("Two wakeups signalled together: the wait takes one; the other stays for the next wait")
    func losingWaiterGivesItBack() async {
        let sync = Wakeup()
        let newWork = Wakeup()
        sync.signal()
        newWork.signal()
        #expect(await Wakeup.first(of: [sync, newWork], seconds: 600))
        #expect(sync.isPending != newWork.isPending, "exactly one signal was consumed, the other was kept")
        #expect(await Wakeup.first(of: [sync, newWork], seconds: 600), "ended by the kept signal, not the timer")
        #expect(!sync.isPending && !newWork.isPending)
    }

    @Test("Signals racing a wait and its cancellation: each is taken by the wait or kept, never lost (2,000 races)")
    func signalRacingCancellation() async {
        var lost = 0
        for round in 0..<2000 {
            let wakeup = Wakeup()
            let other = Wakeup()
            // The wait ends through either wakeup or its timer; the losing waiter is cancelled
            // while `signal` may be racing it.
            let waiter = Task { await Wakeup.first(of: [other, wakeup], seconds: round % 2 == 0 ? 0 : 0.001) }
            let sent = round % 3 == 0 ? 2 : 1
            if sent == 2 { other.signal() }
            wakeup.signal()
            let woken = await waiter.value
            let kept = (wakeup.isPending ? 1 : 0) + (other.isPending ? 1 : 0)
            if (woken ? 1 : 0) + kept != sent { lost += 1 }
        }
        #expect(lost == 0)
    }

    @Test("A cancelled wait leaves a later signal for the next wait")
    func cancelledWaitKeepsLaterSignal() async throws {
        let wakeup = Wakeup()
        // A 600 s timer: only the cancellation can end this wait within the suite's time limit.
        let task = Task { await wakeup.wait(seconds: 600) }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value == false)
        wakeup.signal()
        #expect(wakeup.isPending)
        #expect(await wakeup.wait(seconds: 600))
    }
}
