import PillboxModel

/// `GET /v1/status`: the daemon's state, for technicians and monitoring.
public struct StatusResponse: Sendable, Equatable, Codable {
    public var version: String
    public var uptimeSeconds: Int
    public var records: Int
    public var pendingUploads: Int
    /// Age of the oldest version waiting for upload; absent when none waits.
    public var oldestPendingAgeSeconds: Int?
    public var deadLetters: Int
    /// Audit entries lost because writing them failed for long (see docs/audit.md); 0 normally.
    public var auditEntriesDropped: Int
    public var keyId: String
    public var dataKeyId: String
    public var databaseBytes: Int64
    /// `upload` when a central record is configured, else `local-only`.
    public var mode: String
    public var central: Central
    /// The storage's state: `ok`, `disk-full`, `unavailable` or `failed`, with its cause.
    public var storage: StorageReport

    public init(version: String, uptimeSeconds: Int, records: Int, pendingUploads: Int, oldestPendingAgeSeconds: Int?,
                deadLetters: Int, auditEntriesDropped: Int, keyId: String, dataKeyId: String, databaseBytes: Int64,
                mode: String, central: Central, storage: StorageReport) {
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
    }

    /// What the status says about the central record.
    public struct Central: Sendable, Equatable, Codable {
        public var configured: Bool
        /// Absent until the first attempt.
        public var reachable: Bool?
        /// RFC 3339 time of the last successful exchange.
        public var lastSuccessAt: String?
        public var lastError: String?
        /// RFC 3339 time of `lastError`.
        public var lastErrorAt: String?
        /// A configuration problem in force: `systemic-refusal`, `credentials` or
        /// `configuration`; absent when none. Uploads wait and retry.
        public var problem: String?
        /// RFC 3339 time since when `problem` holds.
        public var problemSince: String?
        /// Entries held back (pending, not dead-lettered) while the central record refuses
        /// everything; absent when none.
        public var heldEntries: Int?

        public init(configured: Bool, reachable: Bool? = nil, lastSuccessAt: String? = nil, lastError: String? = nil,
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
