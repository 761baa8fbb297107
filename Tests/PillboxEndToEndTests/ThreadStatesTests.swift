import Foundation
import PillboxTestSupport
import Testing

/// The evidence a test records when a daemon does not end (`DaemonProcess.stop`), and how the
/// harness learns that a child ended (`WatchedChild`).
@Suite("Thread states from /proc, and a watched child's end")
struct ThreadStatesTests {
    @Test("A live child lists each thread with its name and state; killed, it is a zombie until reaped, then gone, with code 128 + 9")
    func liveKilledReaped() async throws {
        let child = try WatchedChild("/bin/sleep", ["30"], output: .discard, errors: .discard)
        defer { child.abandon() }
        let pid = child.pid
        // The child may still be exec'ing or paging in (`R`, `D`): wait until it sleeps.
        let sleeping = await Self.state(of: pid, within: .seconds(10)) { $0.hasPrefix("\(pid) sleep S ") }
        #expect(sleeping.hasPrefix("\(pid) sleep S "), "\(sleeping)")
        #expect(child.exitCode() == nil)

        // Nothing reaps it but `exitCode()`: dead, it stays a zombie.
        child.send(SIGKILL)
        let zombie = await Self.state(of: pid, within: .seconds(10)) { $0.hasPrefix("\(pid) sleep Z ") }
        #expect(zombie.hasPrefix("\(pid) sleep Z "), "\(zombie)")

        #expect(child.exitCode() == 137)
        #expect(threadStates(pid: pid) == "no such process")
        #expect(child.exitCode() == 137)
    }

    @Test("A child ends with its own exit code, and starts with no signal ignored or blocked, whatever the test process ignores")
    func exitCodeAndSignals() async throws {
        let exits = try WatchedChild("/bin/sh", ["-c", "exit 3"], output: .discard, errors: .discard)
        #expect(await exits.exited(within: .seconds(10)) == 3)

        // `cat /proc/self/status` shows cat's own masks.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.file("status")
        let previous = signal(SIGTERM, SIG_IGN)
        defer { signal(SIGTERM, previous) }
        let cat = try WatchedChild("/bin/cat", ["/proc/self/status"], output: .append(out), errors: .discard)
        #expect(await cat.exited(within: .seconds(10)) == 0)
        // Each mask in hex, bit n - 1 for signal n. Signals 1-31 only: glibc keeps 32 and 33 for
        // itself (sigfillset leaves them out), and they were seen ignored here.
        let masks = Dictionary(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":\t")
            return parts.count == 2 && ["SigIgn", "SigBlk"].contains(parts[0]) ? (String(parts[0]), UInt64(parts[1], radix: 16)) : nil
        }, uniquingKeysWith: { $1 })
        #expect(masks.mapValues { $0.map { $0 & 0x7fff_ffff } } == ["SigIgn": 0, "SigBlk": 0], "\(masks)")
    }

    /// The child's thread states once `done` holds of them, or as they are after `limit`.
    static func state(of pid: Int32, within limit: Duration, until done: (String) -> Bool) async -> String {
        let deadline = ContinuousClock.now + limit
        var states = threadStates(pid: pid)
        while !done(states) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
            states = threadStates(pid: pid)
        }
        return states
    }
}
