import PillboxModel

/// `GET /v1/status`: the daemon's state, for technicians and monitoring.
package struct StatusResponse: Sendable, Equatable, Codable {
    package var version: String
    package var uptimeSeconds: Int
    package var records: Int
    package var pendingUploads: Int
    /// Age of the oldest version waiting for upload; absent when none waits.
    package var oldestPendingAgeSeconds: Int?
    package var deadLetters: Int
    /// Audit entries lost because writing them failed for long (see docs/audit.md); 0 normally.
    package var auditEntriesDropped: Int
    package var keyId: String
    package var dataKeyId: String
    package var databaseBytes: Int64
    /// `upload` when a central record is configured, else `local-only`.
    package var mode: String
    package var central: Central
    /// The storage's state: `ok`, `disk-full`, `unavailable` or `failed`, with its cause.
    package var storage: StorageReport
    /// RFC 3339 time the newest version was recorded; absent when none (`doctor`'s clock check).
    package var newestRecordAt: String?
    /// RFC 3339 time the central record last accepted an upload; absent when never.
    package var lastUploadAt: String?
    /// Central profiles cached for outages; absent from daemons that predate it.
    package var centralProfiles: CachedProfiles?
    /// The data folder's keys (data, index, audit) and when each was made.
    package var keys: [Key]?
    /// Free space of the data folder's filesystem; absent when it cannot be read.
    package var disk: Disk?
    /// RFC 3339 time of the last successful (verified) backup; absent before the first.
    package var lastBackupAt: String?
    /// The folder of that backup.
    package var lastBackupPath: String?
    /// Records in that backup.
    package var lastBackupRecords: Int?
    /// True when the last backup (or, before the first, the data folder's creation) is older
    /// than `backup.maxAgeHours`; absent when that rule is off (`maxAgeHours` 0).
    package var backupOverdue: Bool?
    /// Requests refused since start because their caller was over its rate limit
    /// (`limits.requestsPerSecondPerUid`); absent when none was.
    package var rateLimited: RateLimited?

    package init(version: String, uptimeSeconds: Int, records: Int, pendingUploads: Int, oldestPendingAgeSeconds: Int?,
                deadLetters: Int, auditEntriesDropped: Int, keyId: String, dataKeyId: String, databaseBytes: Int64,
                mode: String, central: Central, storage: StorageReport, lastBackupAt: String? = nil,
                lastBackupPath: String? = nil, lastBackupRecords: Int? = nil, backupOverdue: Bool? = nil) {
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.records = records
        self.pendingUploads = pendingUploads
        self.oldestPendingAgeSeconds = oldestPendingAgeSeconds
        self.deadLetters = deadLetters
        self.auditEntriesDropped = auditEntriesDropped
        self.keyId = keyId
        self.dataKeyId = dataKeyId
        self.databaseBytes = databaseBytes
        self.mode = mode
        self.central = central
        self.storage = storage
        self.lastBackupAt = lastBackupAt
        self.lastBackupPath = lastBackupPath
        self.lastBackupRecords = lastBackupRecords
        self.backupOverdue = backupOverdue
    }

    /// Requests refused by the rate limit since the daemon started, and the latest refusal.
    package struct RateLimited: Sendable, Equatable, Codable {
        package var refused: Int
        /// The uid of the latest refused caller.
        package var lastUid: UInt32
        /// RFC 3339 time of the latest refusal.
        package var lastAt: String

        package init(refused: Int, lastUid: UInt32, lastAt: String) {
            self.refused = refused
            self.lastUid = lastUid
            self.lastAt = lastAt
        }
    }

    /// What the status says about the central record.
    package struct Central: Sendable, Equatable, Codable {
        package var configured: Bool
        /// Absent until the first attempt.
        package var reachable: Bool?
        /// RFC 3339 time of the last successful exchange.
        package var lastSuccessAt: String?
        package var lastError: String?
        /// RFC 3339 time of `lastError`.
        package var lastErrorAt: String?
        /// A configuration problem in force: `systemic-refusal`, `credentials` or
        /// `configuration`; absent when none. Uploads wait and retry.
        package var problem: String?
        /// RFC 3339 time since when `problem` holds.
        package var problemSince: String?
        /// Entries held back (pending, not dead-lettered) while the central record refuses
        /// everything; absent when none.
        package var heldEntries: Int?
        /// RFC 3339 time of the first failure since the last success (while failing); absent
        /// while the link works.
        package var failingSince: String?

        package init(configured: Bool, reachable: Bool? = nil, lastSuccessAt: String? = nil, lastError: String? = nil,
                    lastErrorAt: String? = nil, problem: String? = nil, problemSince: String? = nil, heldEntries: Int? = nil) {
            self.configured = configured
            self.reachable = reachable
            self.lastSuccessAt = lastSuccessAt
            self.lastError = lastError
            self.lastErrorAt = lastErrorAt
            self.problem = problem
            self.problemSince = problemSince
            self.heldEntries = heldEntries
        }
    }
}
