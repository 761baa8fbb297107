/// `POST /v1/backups`: the backup the daemon took, written, synced and verified.
package struct BackupResponse: Sendable, Equatable, Codable {
    /// The complete backup folder (`DEST/pillbox-backup-<time>`).
    package var path: String
    /// RFC 3339 time of the snapshot.
    package var createdAt: String
    /// Records (dispenses) in the copy.
    package var records: Int
    /// Versions in the copy.
    package var versions: Int
    /// Size of the copy's database file.
    package var databaseBytes: Int64
    /// SHA-256 of the copy's database file (lower-case hex), as in its manifest.
    package var sha256: String
    /// Id of the master key the copy needs (a hash prefix, safe to show).
    package var masterKeyId: String
    /// The wrapped working keys in the copy.
    package var keyIds: [String]
    /// Always true: an answer is sent only for a backup that passed its verification.
    package var verified: Bool
    /// How long it took, in seconds.
    package var seconds: Double

    package init(path: String, createdAt: String, records: Int, versions: Int, databaseBytes: Int64, sha256: String,
                masterKeyId: String, keyIds: [String], verified: Bool, seconds: Double) {
        self.path = path
        self.createdAt = createdAt
        self.records = records
        self.versions = versions
        self.databaseBytes = databaseBytes
        self.sha256 = sha256
        self.masterKeyId = masterKeyId
        self.keyIds = keyIds
        self.verified = verified
        self.seconds = seconds
    }
}

extension BackupResponse: WireAnswer {}
