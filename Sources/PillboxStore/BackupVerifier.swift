import Foundation
import GRDB
import Logging
import PillboxCrypto

/// Checks a backup folder before anything relies on it: the manifest is there, the copy's
/// size and SHA-256 match it, SQLite's `integrity_check` passes on a read-only connection,
/// the schema is one this Pillbox knows, every wrapped key unwraps under the master key and
/// the key ids and record count match the manifest. Reads only.
///
/// This is the backup's own check. The full check of a data folder (every version opens,
/// blind indexes, pointers, audit chain: `Store.verify`) can run on top of it through
/// `DataFolderRestore.restore(deepCheck:)`.
package enum BackupVerifier {
    /// Verifies the backup in `folder`; returns its manifest.
    package static func verify(folder: String, masterKey: SecretKey) throws(BackupError) -> BackupManifest {
        let manifest = try BackupManifest.read(folder: folder)
        let database = (folder as NSString).appendingPathComponent(BackupManifest.databaseName)
        for sidecar in ["-wal", "-journal"] where FileManager.default.fileExists(atPath: database + sidecar) {
            throw BackupError(.invalid, "\(database)\(sidecar) exists: this is not a finished backup")
        }
        guard let (digest, bytes) = SHA256Digest.hashFile(atPath: database) else {
            throw BackupError(.invalid, "\(database) is missing or unreadable")
        }
        guard bytes == manifest.databaseBytes, Hex.encode(digest) == manifest.sha256 else {
            throw BackupError(.invalid, "\(database) does not match its manifest (size \(bytes), manifest says "
                + "\(manifest.databaseBytes); or the SHA-256 differs): the copy was damaged or edited")
        }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: database, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw BackupError(.invalid, "\(database) fails SQLite's integrity check (\(check.prefix(3).joined(separator: "; ")))")
                }
                if try Schema.migrator(masterKey: masterKey, logger: Logger(label: "pillbox.backup")).hasBeenSuperseded(db) {
                    throw BackupError(.invalid, "\(database) was written by a newer version of Pillbox; restore it with that version")
                }
                let keys: [StoreKeys.Entry]
                do {
                    keys = try StoreKeys.loadExisting(db, master: masterKey)
                } catch {
                    throw BackupError(.wrongKey, "the master key (id \(masterKey.keyID)) does not open this backup's keys "
                        + "(the backup was taken under master key \(manifest.masterKeyId)); use the key escrowed for this box")
                }
                let ids = try String.fetchAll(db, sql: "SELECT id FROM key ORDER BY id")
                guard ids == manifest.keyIds, !keys.isEmpty else {
                    throw BackupError(.invalid, "\(database) holds keys \(ids) but its manifest names \(manifest.keyIds)")
                }
                let records = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense") ?? 0
                guard records == manifest.records else {
                    throw BackupError(.invalid, "\(database) holds \(records) records but its manifest says \(manifest.records)")
                }
            }
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError(.invalid, "\(database) cannot be read as a Pillbox database: \(Store.describe(error))")
        }
        return manifest
    }
}
