import Synchronization

/// Wakes a waiting loop early (a sync request, a new record). A signal sent while nobody
/// waits is kept for the next wait, and a signal taken by a waiter whose wait had already
/// ended another way (its timer, another wakeup, cancellation) is put back: a signal is
/// never lost.
package final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// Wakes every current waiter, or the next one when none waits.
    package func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard !state.waiters.isEmpty else {
                state.pending = true
                return []
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// True when a signal is kept for the next wait.
    package var isPending: Bool { state.withLock { $0.pending } }

    /// Waits until signalled or `seconds` pass (or the task is cancelled); true when signalled.
    @discardableResult
    package func wait(seconds: Double) async -> Bool {
        await Self.first(of: [self], seconds: seconds)
    }

    /// Waits until any of `wakeups` is signalled or `seconds` pass; true when signalled.
    /// Only the signal that ended the wait is consumed; one that another wakeup of the list
    /// delivered meanwhile is kept for the next wait.
    @discardableResult
    package static func first(of wakeups: [Wakeup], seconds: Double) async -> Bool {
        await withTaskGroup(of: Int?.self) { group in
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000)))
                return nil
            }
            for (index, wakeup) in wakeups.enumerated() {
                group.addTask { await wakeup.waitForSignal() ? index : nil }
            }
            let winner = await group.next() ?? nil
            group.cancelAll()
            // The other children end now; one that took a signal after the winner gives it back.
            while let other = await group.next() {
                if let other { wakeups[other].signal() }
            }
            return winner != nil
        }
    }

    /// Waits for a signal; true when one was taken, false when cancelled first.
    private func waitForSignal() async -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now = state.withLock { state -> Bool? in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: false)
        }
    }
}
