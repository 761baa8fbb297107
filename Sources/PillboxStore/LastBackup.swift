import Foundation
import PillboxModel

/// The last successful backup, kept in the data folder as `last-backup.json` (written
/// atomically after each verified backup) so that `/v1/status` reports it across restarts.
package struct LastBackup: Codable, Sendable, Equatable {
    package static let fileName = "last-backup.json"

    /// RFC 3339 time of the snapshot.
    package var at: String
    /// The backup folder.
    package var path: String
    /// Records in it.
    package var records: Int

    package init(at: String, path: String, records: Int) {
        self.at = at
        self.path = path
        self.records = records
    }

    /// The record in `dataFolder`, or nil when there is none (no backup yet) or it cannot be read.
    package static func read(dataFolder: String) -> LastBackup? {
        let path = (dataFolder as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(LastBackup.self, from: data)
    }

    /// Writes the record into `dataFolder` atomically (temporary file, fsync, rename).
    func write(dataFolder: String) throws(BackupError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        try BackupFolder.writeAtomically(data, to: (dataFolder as NSString).appendingPathComponent(Self.fileName))
    }

    /// The time of `at`.
    package var date: Date? { Timestamps.parseRFC3339(at) }
}
