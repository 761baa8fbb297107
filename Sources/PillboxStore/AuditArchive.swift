import Foundation
import PillboxModel

/// The entries an archive moves: a prefix of the chain, `firstSeq` to `lastSeq`.
package struct AuditArchiveRange: Sendable, Equatable, Codable {
    package var firstSeq: Int64
    package var lastSeq: Int64
    package var entries: Int
    /// When the first and the last of them were recorded (seconds since 1970).
    package var firstAt: Double
    package var lastAt: Double

    package init(firstSeq: Int64, lastSeq: Int64, entries: Int, firstAt: Double, lastAt: Double) {
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.entries = entries
        self.firstAt = firstAt
        self.lastAt = lastAt
    }
}

/// What `Store.archiveAudit` did.
package struct AuditArchiveOutcome: Sendable, Equatable {
    /// The entries archived (or, on a dry run, that would be); nil when none was recorded
    /// before the day.
    package var range: AuditArchiveRange?
    /// The archive file, and its SHA-256 and size; nil on a dry run or when nothing was archived.
    package var file: File?

    package struct File: Sendable, Equatable {
        package var path: String
        package var sha256: String
        package var bytes: Int64
    }
}

/// Why an archive did not happen, or did not finish. Messages name files, sequence numbers
/// and counts only.
package struct AuditArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Code: String, Sendable, Equatable {
        /// The destination is not an absolute path to an existing, writable folder outside the data folder.
        case destination
        /// Another archive of this store is running.
        case busy
        /// The chain does not hold where the archive would read it: nothing was written or removed.
        case chainBroken
        /// The data folder's disk has too little room left to remove entries (a full disk):
        /// nothing was written or removed; the message says how much to free.
        case noRoom
        /// Writing or reading back the archive file failed: nothing was removed.
        case io
        /// The archive file is complete, but removing its entries from the store stopped
        /// (a full disk, another archive): the store keeps the rest, the anchor is where the
        /// removal stopped, and running the archive again goes on from there.
        case removal
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}

/// The archive file: a header line, one audit entry per line (as `GET /v1/audit` gives
/// them), a trailer line. See docs/audit-archive.md.
package enum AuditArchiveFile {
    package static let format = "pillbox-audit-archive-v1"
    static let partialPrefix = ".pillbox-audit-"
    static let partialSuffix = ".partial"

    /// `pillbox-audit-<first seq>-<last seq>.jsonl`: names sort by range when the numbers have as many digits.
    package static func name(first: Int64, last: Int64) -> String {
        "pillbox-audit-\(first)-\(last).jsonl"
    }

    package struct Header: Codable, Equatable, Sendable {
        package var format: String
        /// The first entry's sequence number, and the hash it links to.
        package var firstSeq: Int64
        package var prevHash: String
        /// The day given: every entry is recorded before it.
        package var before: String
        package var writtenAt: String
    }

    package struct Trailer: Codable, Equatable, Sendable {
        /// Always `format`: marks the end, so a cut file shows.
        package var trailer: String
        package var entries: Int
        package var lastSeq: Int64
        package var lastHash: String
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
