import GRDB
import Synchronization

/// Calls its action after each commit that added outbox entries (new versions to upload);
/// a rolled-back transaction announces nothing. See `Store.observingOutboxWork(_:during:)`.
final class OutboxWorkObserver: TransactionObserver, Sendable {
    private let action: @Sendable () -> Void
    /// Whether the transaction under way added outbox entries.
    private let added = Mutex(false)

    init(action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { table == "outbox" } else { false }
    }

    func databaseDidChange(with event: DatabaseEvent) { added.withLock { $0 = true } }

    func databaseDidCommit(_ db: Database) {
        let announce = added.withLock { added in
            defer { added = false }
            return added
        }
        if announce { action() }
    }

    func databaseDidRollback(_ db: Database) { added.withLock { $0 = false } }
}
