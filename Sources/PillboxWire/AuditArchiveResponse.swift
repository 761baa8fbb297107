/// `POST /v1/audit/archive`: the audit entries archived (or, on a dry run, that would be).
package struct AuditArchiveResponse: Sendable, Equatable, Codable {
    /// Entries recorded before this time were eligible (RFC 3339: the start of the day asked for, daemon's local time).
    package var before: String
    /// True when nothing was written or removed, only the range counted.
    package var dryRun: Bool
    /// Entries archived (0: none recorded before the day is left in the store).
    package var entries: Int
    /// The first and last archived entries' sequence numbers, and when they were recorded (RFC 3339); absent when `entries` is 0.
    package var firstSeq: Int64?
    package var lastSeq: Int64?
    package var firstAt: String?
    package var lastAt: String?
    /// The archive file, its SHA-256 (lower-case hex) and size; absent on a dry run or when `entries` is 0.
    package var path: String?
    package var sha256: String?
    package var bytes: Int64?

    package init(before: String, dryRun: Bool, entries: Int, firstSeq: Int64? = nil, lastSeq: Int64? = nil, firstAt: String? = nil,
                 lastAt: String? = nil, path: String? = nil, sha256: String? = nil, bytes: Int64? = nil) {
        self.before = before
        self.dryRun = dryRun
        self.entries = entries
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
    }
}

extension AuditArchiveResponse: WireAnswer {}
