import Foundation
import GRDB
import PillboxCrypto
import PillboxModel

/// A backup taken: where it is and what its manifest says.
package struct BackupOutcome: Sendable, Equatable {
    /// The complete backup folder.
    package var path: String
    package var manifest: BackupManifest
}

extension Store {
    /// Takes a consistent snapshot of the store into a new folder in `destination`, through
    /// SQLite's online backup API on one read transaction (writes go on meanwhile; the copy
    /// holds exactly what was committed when the snapshot began). The copy stays encrypted:
    /// payloads are sealed, keys are wrapped under the master key.
    ///
    /// Steps: the copy and `manifest.json` are written in `.pillbox-backup-<time>.partial`,
    /// synced, verified with `masterKey` (`BackupVerifier`), then the folder is renamed to
    /// `pillbox-backup-<time>` and the destination synced; then the data folder's
    /// `last-backup.json` is rewritten. A failure removes the partial folder. One backup at a
    /// time per destination (`.pillbox-backup.lock`); a partial folder left by a crash is
    /// removed by the next backup. `progress` gets (pages copied, pages in all).
    package func backup(into destination: String, masterKey: SecretKey, pillboxVersion: String, now: Date = Date(),
                        progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> BackupOutcome {
        let dataFolder = (path as NSString).deletingLastPathComponent
        try Self.checkDestination(destination, dataFolder: dataFolder)
        guard let lock = try BackupFolder.lock((destination as NSString).appendingPathComponent(BackupFolder.lockName), create: true)
        else { throw BackupError(.busy, "another backup into \(destination) is running; try again when it has finished") }
        defer { Glibc.close(lock) }
        BackupFolder.removeLeftovers(in: destination, prefix: BackupFolder.partialPrefix, suffix: BackupFolder.partialSuffix)
        let finalName = BackupFolder.name(for: now)
        let partial = (destination as NSString).appendingPathComponent("." + finalName + BackupFolder.partialSuffix)
        let final = (destination as NSString).appendingPathComponent(finalName)
        guard mkdir(partial, 0o700) == 0 else { throw BackupError(.io, "cannot create \(partial) (errno \(errno))") }
        do {
            let manifest = try await snapshot(into: partial, masterKey: masterKey, pillboxVersion: pillboxVersion, now: now,
                                              progress: progress)
            // The check reads and hashes the whole copy: off the task's thread (`Blocking`).
            try await Blocking.run {
                _ = try BackupVerifier.verify(folder: partial, masterKey: masterKey)
                guard rename(partial, final) == 0 else { throw BackupError(.io, "cannot rename \(partial) (errno \(errno))") }
                try BackupFolder.sync(destination)
                try LastBackup(at: manifest.createdAt, path: final, records: manifest.records).write(dataFolder: dataFolder)
            }
            logger.notice("Backup taken", metadata: ["backup.path": "\(final)", "backup.records": "\(manifest.records)",
                                                   "backup.bytes": "\(manifest.databaseBytes)"])
            return BackupOutcome(path: final, manifest: manifest)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            logger.error("Backup failed", metadata: ["backup.destination": "\(destination)", "error.detail": "\(error)"])
            throw error
        }
    }

    /// The last successful backup recorded in the data folder, if any.
    package func lastBackup() -> LastBackup? {
        LastBackup.read(dataFolder: (path as NSString).deletingLastPathComponent)
    }

    /// When the data folder's keys were created (the store's birth), for the backup-age rule
    /// before the first backup.
    package func createdAt() async throws -> Date? {
        try await read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(created_at) FROM key").map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Refuses a destination that is not an absolute path to an existing folder, or that is
    /// inside the data folder (a backup there is lost with the disk it should protect).
    static func checkDestination(_ destination: String, dataFolder: String) throws(BackupError) {
        guard destination.hasPrefix("/") else {
            throw BackupError(.destination, "the destination must be an absolute path (got \(destination))")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder), isFolder.boolValue else {
            throw BackupError(.destination, "the destination \(destination) is not an existing folder (is the disk mounted?)")
        }
        let real = (destination as NSString).resolvingSymlinksInPath
        let data = (dataFolder as NSString).resolvingSymlinksInPath
        if real == data || real.hasPrefix(data + "/") {
            throw BackupError(.destination, "the destination \(destination) is inside the data folder; use another disk")
        }
        guard access(destination, W_OK) == 0 else {
            throw BackupError(.destination, "pillboxd cannot write to \(destination) (errno \(errno)); give user pillbox "
                + "the folder and list it in the unit's ReadWritePaths= (docs/operations.md)")
        }
    }

    /// Copies the store into `folder/pillbox.sqlite` on one read transaction, makes the copy
    /// a self-contained rollback-journal database, checksums it and writes the manifest.
    private func snapshot(into folder: String, masterKey: SecretKey, pillboxVersion: String, now: Date,
                          progress: (@Sendable (Int, Int) -> Void)?) async throws -> BackupManifest {
        let database = (folder as NSString).appendingPathComponent(BackupManifest.databaseName)
        var destinationConfiguration = Configuration()
        destinationConfiguration.prepareDatabase { db in
            // The copy is private until renamed; the whole file is synced once at the end.
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        }
        let copy = try DatabaseQueue(path: database, configuration: destinationConfiguration)
        let counted = try await read { db in
            // The first read fixes the snapshot that the copy and these counts share.
            let records = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense") ?? 0
            let versions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense_version") ?? 0
            let states = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
            let count: (String) -> Int = { state in states.first { ($0["state"] as String) == state }?["n"] ?? 0 }
            let keyIds = try String.fetchAll(db, sql: "SELECT id FROM key ORDER BY id")
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
            try copy.writeWithoutTransaction { target in
                try db.backup(to: target, pagesPerStep: 1024) { step in
                    progress?(step.completedPageCount, step.totalPageCount)
                }
            }
            return BackupManifest(format: BackupManifest.formatName, createdAt: Timestamps.format(now),
                                  pillboxVersion: pillboxVersion, schemaMigrations: migrations, records: records,
                                  versions: versions, outbox: .init(pending: count("pending"), sent: count("sent"),
                                                                    failed: count("failed")),
                                  masterKeyId: masterKey.keyID, keyIds: keyIds, databaseBytes: 0, sha256: "")
        }
        try copy.close()
        // The copied header says WAL (the store's mode): switch the copy to a rollback journal
        // so that it is one self-contained file, with no -wal or -shm beside it.
        let fixup = try DatabaseQueue(path: database)
        try await fixup.writeWithoutTransaction { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            guard mode == "delete" else { throw BackupError(.io, "the copy stayed in journal mode \(mode ?? "?")") }
        }
        try fixup.close()
        return try await Blocking.run {
            var manifest = counted
            for sidecar in ["-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: database + sidecar) }
            try BackupFolder.sync(database)
            guard let (digest, bytes) = SHA256Digest.hashFile(atPath: database) else {
                throw BackupError(.io, "cannot read back \(database)")
            }
            manifest.databaseBytes = bytes
            manifest.sha256 = Hex.encode(digest)
            try BackupFolder.writeAtomically(manifest.encoded(), to: (folder as NSString).appendingPathComponent(BackupManifest.fileName))
            try BackupFolder.sync(folder)
            return manifest
        }
    }
}
