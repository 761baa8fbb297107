import GRDB

/// Watches the writer connection's commits for `StorageHealth`: SQLite's commit hook marks a
/// COMMIT as under way, its success notification marks it done. A commit that fails (a failed
/// fsync, ENOSPC) is rolled back by SQLite itself without notifying observers, so "under way"
/// stays set, and the next batch's works see it before anything of theirs is written.
final class CommitObserver: TransactionObserver, Sendable {
    let health: StorageHealth

    init(health: StorageHealth) {
        self.health = health
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseWillCommit() throws { health.commitStarted() }
    func databaseDidCommit(_ db: Database) { health.commitCompleted() }
    func databaseDidRollback(_ db: Database) {}
}
