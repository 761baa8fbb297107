import Foundation
import GRDB
import Logging
import PillboxCrypto
import PillboxModel

/// The encrypted local replica: the one owner of the data folder's database.
///
/// Every method is a domain action; writes are single transactions shared among
/// concurrent callers (group commit) and acknowledged only after their commit returned.
package struct Store: Sendable {
    let pool: DatabasePool
    /// Read-only connections for `shortRead` alone (docs/storage.md, "Short reads").
    let shortReads: DatabasePool
    let keys: StoreKeys
    let committer: GroupCommitter
    let logger: Logger
    /// The outcome of commits: storage condition, latch after a failed fsync, probe pacing.
    let health: StorageHealth
    /// Path of the database file.
    package let path: String
    /// Id of the master key that opened the store (a hash prefix, safe to show).
    package let masterKeyID: String
    /// Held while an audit archive runs (`archiveAudit`).
    let archiveGate = ArchiveGate()
    /// Logs the causes of failed reads, at most one line every 10 s.
    let readFailures = ReadFailureLog()
    /// The size the write-ahead log is cut back to when SQLite starts it over (`PRAGMA
    /// journal_size_limit`). A long read (a backup's check, `pillbox verify`) keeps the
    /// log from being checkpointed while writes go on, so it grows; SQLite reuses the file
    /// and, without this, keeps it at its largest until the daemon stops. Twice the size the
    /// automatic checkpoint keeps it at (1,000 pages), so ordinary work never cuts it.
    static let walSizeLimit = 8 << 20
    /// Id of the data key that seals new versions.
    package var dataKeyID: String { keys.sealer.keyID }

    /// Opens (creating if needed) the store at `path`, unwrapping its keys with `masterKey`.
    ///
    /// Throws `StoreError(.wrongKey)` without writing anything when the master key does not
    /// match the one the data folder was created with. `healthProbeInterval` paces the probe
    /// commits of `checkHealth()` (docs/storage.md, "Storage health"). A store that opens but
    /// cannot commit (a full disk) still opens, for reads; its health says why.
    package static func open(path: String, masterKey: SecretKey, logger: Logger, now: Date = Date(),
                            healthProbeInterval: Duration = .seconds(15)) throws(StoreError) -> Store {
        // Check the key before anything writes, so that a wrong key changes nothing on disk.
        if FileManager.default.fileExists(atPath: path) {
            try checkKey(path: path, masterKey: masterKey)
        }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY; "
                + "PRAGMA journal_size_limit = \(walSizeLimit);")
        }
        configuration.busyMode = .timeout(5)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets synchronous=NORMAL when it enables WAL; an acknowledged write must survive power loss.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw StoreError(.io, "cannot open the database at \(path): \(Self.describe(error))")
        }
        let keys: StoreKeys
        do {
            try Schema.migrator(masterKey: masterKey, logger: logger).migrate(pool)
            keys = try pool.write { db in try StoreKeys.loadOrCreate(db, master: masterKey, now: now) }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            // An upgrade step (or the first keys) that did not fit: rolled back, tried again at the next start.
            throw StoreError(.diskFull, "preparing the database at \(path) (an upgrade to this version of Pillbox, "
                + "or its first keys) needs more free space than its disk has: free space on that disk, then start "
                + "pillboxd again; the step that could not finish was rolled back")
        } catch {
            throw StoreError(.io, "cannot prepare the database at \(path): \(Self.describe(error))")
        }
        let health = StorageHealth(probeInterval: healthProbeInterval, logger: logger)
        pool.writeWithoutTransaction { db in
            db.add(transactionObserver: CommitObserver(health: health), extent: .databaseLifetime)
        }
        let shortReads: DatabasePool
        do {
            shortReads = try openShortReads(path: path)
        } catch {
            try? pool.close()
            throw StoreError(.io, "cannot open the database at \(path) for reading: \(Self.describe(error))")
        }
        let store = Store(pool: pool, shortReads: shortReads, keys: keys, committer: GroupCommitter(writer: pool), logger: logger,
                          health: health, path: path, masterKeyID: masterKey.keyID)
        store.probeAtOpen(now: now)
        return store
    }

    /// Unwraps the existing keys through a read-only connection; throws `.wrongKey` when the
    /// master key does not open them, and `.integrity` when a newer Pillbox migrated the
    /// schema (an older version must not write a store it does not understand).
    ///
    /// Call it only while holding the data folder's lock (the daemon takes it first): it may
    /// create -wal/-shm sidecars and removes them again, which must never happen to the files
    /// of a database another process has open.
    package static func checkKey(path: String, masterKey: SecretKey) throws(StoreError) {
        var configuration = Configuration()
        configuration.readonly = true
        // A read-only connection to a WAL database creates empty -wal and -shm files when they
        // are missing (after a clean shutdown). Remove those again, so that a refused start
        // leaves the data folder exactly as it was.
        let sidecars = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
        defer {
            let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.intValue
            if sidecars.count == 2 && (walSize ?? 0) == 0 {
                for file in sidecars { try? FileManager.default.removeItem(atPath: file) }
            }
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                if try Schema.migrator(masterKey: masterKey, logger: Logger(label: "pillbox.store")).hasBeenSuperseded(db) {
                    throw StoreError(.integrity, "this data folder was written by a newer version of Pillbox (its schema has "
                        + "changes this version does not know); run that version or a newer one, or restore a backup "
                        + "taken with this version")
                }
                if try db.tableExists("key") { _ = try StoreKeys.loadExisting(db, master: masterKey) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, "cannot read the database at \(path): \(Self.describe(error))")
        }
    }

    /// Closes the database connections; the store must not be used afterwards.
    ///
    /// The read-only connections close first: GRDB closes the writer first, and a read-only
    /// connection closing last cannot checkpoint the WAL, which would leave `-wal` and `-shm`
    /// files behind after any read (a later refused start would then change the folder).
    package func close() throws {
        shortReads.releaseMemory()
        try shortReads.close()
        pool.releaseMemory()
        try pool.close()
    }

    /// An error description without SQL arguments (GRDB leaves them out by default).
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
        return String(describing: error)
    }

    /// The pool of `shortRead`: read-only, one connection per core (the event loops make these
    /// reads for the connections, and Swift's own pool for anything else), opened after the
    /// migrations, on the WAL the main pool keeps.
    static func openShortReads(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.maximumReaderCount = max(2, ProcessInfo.processInfo.activeProcessorCount)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA temp_store = MEMORY") }
        configuration.busyMode = .timeout(5)
        return try DatabasePool(path: path, configuration: configuration)
    }

    /// Runs a read bounded by a request's limits (one patient's listing, one dispense, one
    /// cached central profile) on the calling thread, mapping database failures to
    /// `StoreError(.io)`: no hop to a GRDB queue and back (docs/storage.md, "Short reads").
    /// Only these reads use `shortReads`, and always synchronously: a caller that waits for one
    /// of its connections waits for another short read, which needs nothing else to finish, so
    /// this cannot deadlock with `read`, whose connections are given back on a task thread.
    /// Anything that reads the whole store (export, verify, counts) must use `read`.
    func shortRead<T>(_ work: (Database) throws -> T) throws -> T {
        do {
            return try shortReads.read(work)
        } catch {
            throw readFailure(error)
        }
    }

    /// Runs a read, mapping database failures to `StoreError(.io)`.
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(work)
        } catch {
            throw readFailure(error)
        }
    }

    /// A read's error as the store reports it: its own errors as they are, a cancelled read
    /// (its request ended, or pillboxd is stopping) as such, and a database failure as `.io`,
    /// logged with its cause (`ReadFailureLog`).
    func readFailure(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is CancellationError {
            return StoreError(.io, "the read was cancelled (its request ended, or pillboxd is stopping); nothing was changed")
        }
        let cause = Self.describe(error)
        readFailures.failed(cause, logger: logger)
        return StoreError(.io, "database read failed: \(cause)")
    }

    /// Runs a write through group commit, mapping database failures to `StoreError` (whose
    /// message is then the cause, with SQLite's code): ENOSPC to
    /// `.diskFull`, a failed fsync or other I/O error to `.storageFailed` (and the store stops
    /// writing: every later write is refused with `.storageFailed`), anything else to `.io`.
    /// Records each outcome in `health`, so `/v1/health` answers from real commits.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let health = self.health
        if let refusal = health.refusal() { throw refusal }
        health.writeStarted()
        do {
            let value = try await committer.write { db in
                try health.admitWork()
                return try work(db)
            }
            health.writeSucceeded()
            return value
        } catch let error as StoreError {
            health.writeEnded()
            throw error
        } catch {
            let fault = StorageFault.classify(error)
            health.writeFailed(fault)
            switch fault?.kind {
            case .diskFull?:
                throw StoreError(.diskFull, fault!.cause)
            case .failed?:
                throw StoreError(.storageFailed, fault!.cause)
            case .unavailable?, nil:
                throw StoreError(.io, "database write failed: \(Self.describe(error))")
            }
        }
    }
}
