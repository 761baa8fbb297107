import Foundation

/// `manifest.json`, written beside the database copy of a backup: what the copy holds and
/// its checksum, so that a restore can tell a sound copy from a damaged one before it
/// touches anything. Holds no secret and no patient data.
package struct BackupManifest: Codable, Sendable, Equatable {
    /// The format of this manifest and folder.
    package static let formatName = "pillbox-backup-v1"
    /// File names inside a backup folder.
    package static let fileName = "manifest.json"
    package static let databaseName = "pillbox.sqlite"

    /// Outbox rows by state in the copy.
    package struct Outbox: Codable, Sendable, Equatable {
        package var pending: Int
        package var sent: Int
        package var failed: Int
    }

    /// Always `formatName`.
    package var format: String
    /// RFC 3339 time of the snapshot.
    package var createdAt: String
    /// The `pillboxd` version that took it.
    package var pillboxVersion: String
    /// Schema migrations applied in the copy, in order (the last one is the schema version).
    package var schemaMigrations: [String]
    /// Dispenses (rows of `dispense`) in the copy.
    package var records: Int
    /// Versions (rows of `dispense_version`) in the copy.
    package var versions: Int
    package var outbox: Outbox
    /// Id of the master key that wraps the copy's keys (a hash prefix, safe to show).
    package var masterKeyId: String
    /// Ids of the wrapped working keys in the copy, sorted.
    package var keyIds: [String]
    /// Size of `pillbox.sqlite` in bytes.
    package var databaseBytes: Int64
    /// SHA-256 of `pillbox.sqlite`, lower-case hex.
    package var sha256: String

    /// Reads and decodes `manifest.json` in `folder`.
    package static func read(folder: String) throws(BackupError) -> BackupManifest {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackupError(.invalid, "\(folder) is not a complete Pillbox backup: \(fileName) is missing or unreadable")
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError(.invalid, "\(path) is not a Pillbox backup manifest (\(error))")
        }
        guard manifest.format == formatName else {
            throw BackupError(.invalid, "\(path) has format \(manifest.format); this Pillbox reads \(formatName)")
        }
        return manifest
    }

    /// The manifest as written: pretty, sorted keys.
    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}
