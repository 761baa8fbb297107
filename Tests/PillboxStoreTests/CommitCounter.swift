import GRDB
import Synchronization

/// Counts the transactions SQLite commits on the writer connection it is attached to, through
/// GRDB's commit notification (`sqlite3_commit_hook`), whatever code made them.
final class CommitCounter: TransactionObserver, Sendable {
    private let count = Mutex(0)

    /// Commits seen since `attach`.
    var commits: Int { count.withLock { $0 } }

    /// Attaches a new counter to `pool`'s writer connection for the rest of its life.
    static func attach(to pool: DatabasePool) throws -> CommitCounter {
        let counter = CommitCounter()
        pool.writeWithoutTransaction { db in db.add(transactionObserver: counter, extent: .databaseLifetime) }
        return counter
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { count.withLock { $0 += 1 } }
    func databaseDidRollback(_ db: Database) {}
}
