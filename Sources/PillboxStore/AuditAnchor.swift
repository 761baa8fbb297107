import Foundation
import GRDB
import PillboxCrypto
import PillboxModel

/// Where the audit chain starts once its oldest entries were archived (table `audit_anchor`,
/// one row, docs/audit-archive.md): the last archived entry's sequence number and hash,
/// under a MAC of the audit key, so that no one without the key can move the start of the
/// chain and hide entries deleted by hand.
struct AuditAnchor: Sendable, Equatable {
    /// The last archived entry's sequence number: the chain goes on at `seq + 1`.
    var seq: Int64
    /// That entry's hash: the next entry's `prev_hash`.
    var hash: [UInt8]
    /// When it was written (seconds since 1970).
    var archivedAt: Double
    /// HMAC-SHA256 (audit key) over `message(seq:hash:)`.
    var mac: [UInt8]

    init(seq: Int64, hash: [UInt8], archivedAt: Double, key: KeyedHMACSHA256) {
        self.seq = seq
        self.hash = hash
        self.archivedAt = archivedAt
        self.mac = key.authenticationCode(for: Self.message(seq: seq, hash: hash))
    }

    init(seq: Int64, hash: [UInt8], archivedAt: Double, mac: [UInt8]) {
        self.seq = seq
        self.hash = hash
        self.archivedAt = archivedAt
        self.mac = mac
    }

    /// "pillbox-audit-anchor-v1:", the sequence number in decimal, ":", the hash.
    static func message(seq: Int64, hash: [UInt8]) -> [UInt8] {
        Array("pillbox-audit-anchor-v1:\(seq):".utf8) + hash
    }

    /// Whether `mac` is the audit key's over this anchor's `seq` and `hash`.
    func holds(under key: KeyedHMACSHA256) -> Bool {
        key.authenticationCode(for: Self.message(seq: seq, hash: hash)) == mac
    }

    /// The anchor, or nil when nothing was ever archived (or the data folder predates
    /// migration `v8-audit-anchor`: a backup read as it is).
    static func read(_ db: Database) throws -> AuditAnchor? {
        guard try db.tableExists("audit_anchor") else { return nil }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash, archived_at, mac FROM audit_anchor WHERE id = 1"))
        else { return nil }
        return AuditAnchor(seq: row["seq"], hash: Array(row["hash"] as Data), archivedAt: row["archived_at"],
                           mac: Array(row["mac"] as Data))
    }

    /// Replaces the anchor.
    func write(_ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO audit_anchor (id, seq, hash, archived_at, mac) VALUES (1, ?, ?, ?, ?)",
                       arguments: [seq, Data(hash), archivedAt, Data(mac)])
    }

    /// Migration `v8-audit-anchor`.
    static func createTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_anchor (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq INTEGER NOT NULL,
                hash BLOB NOT NULL,
                archived_at REAL NOT NULL,
                mac BLOB NOT NULL
            )
            """)
    }
}

extension AuditChain {
    /// Where a check of the chain starts: the entry expected first and the hash it must link
    /// to. Entry 1 and 32 zero bytes, or after the anchor when entries were archived.
    struct Start: Sendable, Equatable {
        var seq: Int64
        var previous: [UInt8]
        /// The anchor, when there is one.
        var anchor: AuditAnchor?
    }

    /// The chain's start in `db`; a problem naming the anchor when its MAC does not hold
    /// (the check then goes on from the anchor as stored, so that later problems still show).
    static func start(_ db: Database, key: KeyedHMACSHA256) throws -> (start: Start, problem: VerifyProblem?) {
        guard let anchor = try AuditAnchor.read(db) else { return (Start(seq: 1, previous: genesis, anchor: nil), nil) }
        let start = Start(seq: anchor.seq + 1, previous: anchor.hash, anchor: anchor)
        guard anchor.holds(under: key) else {
            return (start, VerifyProblem(.auditChain, auditSeq: anchor.seq,
                "the audit anchor (entries up to \(anchor.seq) archived) does not match its MAC: it was edited, "
                + "so the start of the trail cannot be trusted; restore the data folder from a backup"))
        }
        return (start, nil)
    }
}
