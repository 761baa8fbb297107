import Foundation
import Synchronization

/// Collects the audit entries of requests that wrote nothing (reads, refusals, invalid
/// bodies) and appends them in batches, so that a read does not wait for an fsync.
///
/// Writes put their audit entry in their own transaction instead. `flush()` runs on a
/// short interval (see `AuditFlushService` in the daemon) and at shutdown; a crash can lose
/// at most the entries of the last interval. See docs/audit.md.
public final class AuditLog: Sendable {
    private let store: Store
    private let pending = Mutex<[AuditEvent]>([])

    public init(store: Store) { self.store = store }

    /// Queues an entry for the next flush.
    public func record(_ event: AuditEvent) {
        pending.withLock { $0.append(event) }
    }

    /// Entries waiting for the next flush.
    public var pendingCount: Int { pending.withLock { $0.count } }

    /// Appends every queued entry. On failure the entries are queued again, ahead of newer ones.
    public func flush() async throws(StoreError) {
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
}
