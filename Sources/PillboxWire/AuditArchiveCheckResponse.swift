/// `POST /v1/audit/archive/verify`: an archive file checked against this box's audit key.
package struct AuditArchiveCheckResponse: Sendable, Equatable, Codable {
    package var path: String
    /// True when every line holds: header, each entry's link and hash, trailer.
    package var intact: Bool
    /// When `intact`: the entries, and the first and last sequence numbers.
    package var entries: Int?
    package var firstSeq: Int64?
    package var lastSeq: Int64?
    /// When not `intact`: the first line that does not hold (from 1), and how.
    package var line: Int?
    package var problem: String?
    /// True when the store's trail goes on from the file's last entry (this box's newest archive).
    package var newest: Bool
    package var sha256: String
    package var bytes: Int64

    package init(path: String, intact: Bool, entries: Int? = nil, firstSeq: Int64? = nil, lastSeq: Int64? = nil, line: Int? = nil,
                 problem: String? = nil, newest: Bool, sha256: String, bytes: Int64) {
        self.path = path
        self.intact = intact
        self.entries = entries
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.line = line
        self.problem = problem
        self.newest = newest
        self.sha256 = sha256
        self.bytes = bytes
    }
}

extension AuditArchiveCheckResponse: WireAnswer {}
