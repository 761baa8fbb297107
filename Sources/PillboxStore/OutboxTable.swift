import Foundation
import GRDB
import PillboxModel

/// The `outbox` table: every statement that changes it, and every read of its queue, in one
/// place. States are bound as `SyncState`. Each function runs inside its caller's transaction.
enum OutboxTable {
    /// Queues a newly recorded version, due now.
    static func enqueue(_ db: Database, dispenseID: String, version: Int, at: Double) throws {
        try db.execute(sql: """
            INSERT INTO outbox (dispense_id, version, state, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)
            """, arguments: [dispenseID, version, SyncState.pending, at, at])
    }

    /// The oldest pending version of each dispense (alias `o`): the only entries an upload may
    /// take, so that versions of one dispense reach the central record in order.
    private static let queueHeads = """
        FROM outbox o
         WHERE o.state = :pending
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.dispense_id = o.dispense_id AND p.state = :pending AND p.version < o.version)
        """

    /// Queue heads due at `now`, oldest first: seq, dispense_id, version, attempts.
    static func due(_ db: Database, now: Date, limit: Int) throws -> [Row] {
        try Row.fetchAll(db, sql: "SELECT o.seq, o.dispense_id, o.version, o.attempts \(queueHeads) AND o.next_attempt_at <= :now ORDER BY o.seq LIMIT :limit",
                         arguments: ["pending": SyncState.pending, "now": now.timeIntervalSince1970, "limit": limit])
    }

    /// When the earliest queue head becomes due, if any.
    static func nextDue(_ db: Database) throws -> Date? {
        try Double.fetchOne(db, sql: "SELECT MIN(o.next_attempt_at) \(queueHeads)", arguments: ["pending": SyncState.pending])
            .map(Date.init(timeIntervalSince1970:))
    }

    /// The central record accepted a pending entry.
    static func markSent(_ db: Database, seq: Int64, at: Date) throws {
        try updatePending(db, seq: seq, set: """
            state = ?, sent_at = ?, attempts = attempts + 1, last_error = NULL, error_payload = NULL, error_key_id = NULL
            """, [SyncState.sent, at.timeIntervalSince1970])
    }

    /// A pending entry is tried again at `at`; `summary` (non-identifying) says why.
    static func scheduleRetry(_ db: Database, seq: Int64, at: Date, summary: String) throws {
        try updatePending(db, seq: seq, set: "attempts = attempts + 1, next_attempt_at = ?, last_error = ?",
                          [at.timeIntervalSince1970, summary])
    }

    /// A held pending entry becomes due at `at` if that is earlier; no attempt is counted.
    static func release(_ db: Database, seq: Int64, at: Date) throws {
        try updatePending(db, seq: seq, set: "next_attempt_at = MIN(next_attempt_at, ?)", [at.timeIntervalSince1970])
    }

    /// A pending entry refused for good: dead-lettered with its summary and the sealed
    /// OperationOutcome (sealed under `keyID`), when there is one.
    static func deadLetter(_ db: Database, seq: Int64, summary: String, outcome: (sealed: Data, keyID: String)?) throws {
        try updatePending(db, seq: seq, set: "state = ?, attempts = attempts + 1, last_error = ?, error_payload = ?, error_key_id = ?",
                          [SyncState.failed, summary, outcome?.sealed, outcome?.keyID])
    }

    private static func updatePending(_ db: Database, seq: Int64, set: String, _ values: StatementArguments) throws {
        try db.execute(sql: "UPDATE outbox SET \(set) WHERE seq = ? AND state = ?", arguments: values + [seq, SyncState.pending])
    }

    /// Entries in `state` (every state when nil), oldest first.
    static func entries(_ db: Database, state: SyncState?, limit: Int) throws -> [Row] {
        if let state {
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE state = ? ORDER BY seq LIMIT ?", arguments: [state, limit])
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY seq LIMIT ?", arguments: [limit])
    }

    /// Puts a dead letter back in the queue, due at `at`, unless a newer version of its
    /// dispense was sent or is queued.
    static func requeue(_ db: Database, seq: Int64, at: Date) throws -> Store.RequeueResult {
        guard let row = try Row.fetchOne(db, sql: "SELECT dispense_id, version FROM outbox WHERE seq = ? AND state = ?",
                                         arguments: [seq, SyncState.failed]) else { return .notDeadLettered }
        let newer = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM outbox WHERE dispense_id = ? AND version > ? AND state IN (?, ?)
            """, arguments: [row["dispense_id"] as String, row["version"] as Int, SyncState.sent, SyncState.pending]) ?? 0
        guard newer == 0 else { return .superseded }
        try db.execute(sql: "UPDATE outbox SET state = ?, next_attempt_at = ?, attempts = 0 WHERE seq = ?",
                       arguments: [SyncState.pending, at.timeIntervalSince1970, seq])
        return .requeued
    }

    /// Pending entries, when the oldest of them was recorded, and dead letters.
    static func counts(_ db: Database) throws -> (pending: Int, oldestPending: Date?, failed: Int) {
        let pending = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE state = ?",
                                       arguments: [SyncState.pending])
        let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = ?", arguments: [SyncState.failed]) ?? 0
        let oldest: Double? = pending?["oldest"]
        return (pending?["n"] ?? 0, oldest.map(Date.init(timeIntervalSince1970:)), failed)
    }
}
