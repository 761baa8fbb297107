import Foundation
import Synchronization

/// Collects the audit entries of requests that wrote nothing (reads, refusals, invalid
/// bodies) and appends them in batches, so that a read does not wait for an fsync.
///
/// Writes put their audit entry in their own transaction instead. `flush()` runs on a
/// short interval (see `AuditFlushService` in the daemon) and at shutdown; a crash can lose
/// at most the entries of the last interval. See docs/audit.md.
package final class AuditLog: Sendable {
    private let store: Store
    private let pending = Mutex<[AuditEvent]>([])
    private let dropped = Mutex(0)
    /// Most entries kept in memory while flushes fail; beyond it the oldest are dropped
    /// (and counted), so a broken disk cannot exhaust memory.
    package let capacity: Int

    package init(store: Store, capacity: Int = 100_000) {
        self.store = store
        self.capacity = capacity
    }

    /// Queues an entry for the next flush.
    package func record(_ event: AuditEvent) {
        let overflow = pending.withLock { events -> Int in
            events.append(event)
            let excess = events.count - capacity
            if excess > 0 { events.removeFirst(excess) }
            return max(excess, 0)
        }
        if overflow > 0 { dropped.withLock { $0 += overflow } }
    }

    /// Entries dropped because the buffer was full (flushes failing for long).
    package var droppedCount: Int { dropped.withLock { $0 } }

    /// Entries waiting for the next flush.
    package var pendingCount: Int { pending.withLock { $0.count } }

    /// Appends every queued entry. On failure the entries are queued again, ahead of newer ones.
    ///
    /// Flushes run one at a time: when it returns, every entry queued before the call is in the
    /// store, including those another flush (the flush service's) had taken and was still
    /// appending. `GET /v1/audit` relies on it to see its own earlier requests.
    package func flush() async throws {
        await flushing.acquire()
        defer { flushing.release() }
        let batch = pending.withLock { events -> [AuditEvent] in
            let taken = events
            events.removeAll(keepingCapacity: true)
            return taken
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.appendAudit(batch)
        } catch {
            pending.withLock { $0.insert(contentsOf: batch, at: 0) }
            throw error
        }
    }

    private let flushing = SerialGate()
}

/// One holder at a time, the others wait in arrival order (an async lock for short sections).
final class SerialGate: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let entered = state.withLock { state -> Bool in
                guard state.held else {
                    state.held = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if entered { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
