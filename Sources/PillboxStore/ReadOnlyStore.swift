import Foundation
import GRDB
import Logging
import PillboxCrypto

/// A data folder's database opened read-only, without a daemon: for `pillbox verify` and
/// `pillbox audit verify` offline, and for checking a backup before a restore. Nothing is
/// written: no migration, no key creation, no probe.
///
/// Opening a WAL database read-only creates empty `-wal` and `-shm` files when they are missing
/// (after a clean shutdown); `createdSidecars` names those, so that the caller can remove them
/// again after `close()` — only while it holds the data folder's lock, since a daemon that
/// started meanwhile would be using them (see `OfflineDataFolder` in the tool).
package final class ReadOnlyStore: Sendable {
    let queue: DatabaseQueue
    /// Nil when the key table is empty or incomplete (verification then reports it).
    let keys: StoreKeys?
    /// Path of the database file.
    package let path: String
    /// The sidecar files that did not exist before this store opened.
    package let createdSidecars: [String]

    /// Opens the database at `path` read-only and unwraps its keys with `masterKey`. Throws
    /// `.io` when there is no database there or it cannot be read, `.wrongKey` when the master
    /// key does not open its keys, `.integrity` when its schema is newer or older than this
    /// version's (start `pillboxd` once to bring an older one up to date).
    package init(path: String, masterKey: SecretKey) throws(StoreError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.io, "there is no database at \(path); check the data folder")
        }
        self.path = path
        createdSidecars = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            self.queue = queue
            keys = try queue.read { db throws -> StoreKeys? in
                let migrator = Schema.migrator(masterKey: masterKey, logger: Logger(label: "pillbox.store"))
                if try migrator.hasBeenSuperseded(db) {
                    throw StoreError(.integrity, "this data folder was written by a newer version of Pillbox; "
                        + "check it with that version or a newer one")
                }
                guard try migrator.hasCompletedMigrations(db) else {
                    throw StoreError(.integrity, "this data folder was written by an older version of Pillbox; "
                        + "start pillboxd on it once to bring it up to date, then check it")
                }
                return try StoreKeys.existing(db, master: masterKey)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, "cannot read the database at \(path): \(Store.describe(error))")
        }
    }

    /// Runs every check of `Store.verify` on this database.
    package func verify(progress: @escaping (Int, Int) -> Void = { _, _ in }) throws(StoreError) -> StoreVerification {
        try reading { db in
            var verifier = StoreVerifier(db: db, keys: keys, progress: progress)
            try verifier.run()
            return verifier.result
        }
    }

    /// Checks the audit chain only.
    package func verifyAudit() throws(StoreError) -> StoreVerification {
        try reading { db in
            var verifier = StoreVerifier(db: db, keys: keys, progress: { _, _ in })
            try verifier.runAuditOnly()
            return verifier.result
        }
    }

    /// Closes the connection. Remove `createdSidecars` afterwards (under the data folder's lock)
    /// when the `-wal` file is still empty.
    package func close() {
        try? queue.close()
    }

    private func reading<T>(_ work: (Database) throws -> T) throws(StoreError) -> T {
        // A damaged file can make the end of the read transaction fail after `work` finished
        // (and reported the damage): its result is kept.
        var finished: T?
        do {
            return try queue.read { db in
                let value = try work(db)
                finished = value
                return value
            }
        } catch let error as StoreError {
            throw error
        } catch where finished != nil {
            return finished!
        } catch {
            throw StoreError(.io, "database read failed: \(Store.describe(error))")
        }
    }
}
