import Foundation
import GRDB
import PillboxCrypto
import PillboxModel

/// A version waiting for upload, with its content.
public struct OutboxItem: Sendable, Equatable {
    /// Position in the outbox (the order versions were recorded in).
    public var seq: Int64
    /// Attempts made so far.
    public var attempts: Int
    public var record: DispenseRecord
}

/// The next versions to upload, and the entries whose stored version cannot be read
/// (failed authentication or missing): those are dead-lettered rather than blocking the queue.
public struct UploadBatch: Sendable, Equatable {
    public var items: [OutboxItem]
    public var unreadable: [Int64]
}

/// An outbox entry as technicians see it (`GET /v1/outbox`): no patient data but the
/// server's OperationOutcome, which is sealed at rest and shown only to admins.
public struct OutboxEntry: Sendable, Equatable, Codable {
    public var seq: Int64
    public var dispenseId: String
    public var version: Int
    public var state: SyncState
    public var attempts: Int
    public var createdAt: String
    public var nextAttemptAt: String?
    public var sentAt: String?
    /// Non-identifying summary of the last failure, e.g. "HTTP 422 (invalid)".
    public var lastError: String?
    /// The central record's OperationOutcome for a dead letter, as it sent it.
    public var outcome: JSONValue?
}

/// What happened to one entry of an upload attempt.
public enum UploadDisposition: Sendable, Equatable {
    /// The central record accepted it.
    case sent
    /// Try again at the given time; `summary` says why (non-identifying).
    case retry(at: Date, summary: String)
    /// Refused for good: dead-letter it with the server's explanation.
    case deadLetter(summary: String, outcome: JSONValue?)
    /// A held entry is judged again: due at `at` if that is earlier than its due time; no
    /// attempt is counted.
    case release(at: Date)
}

extension Store {
    /// The next versions to upload, oldest first: at most one version per dispense (its
    /// oldest pending one), and only those due now.
    public func nextUploadBatch(limit: Int, now: Date) async throws -> UploadBatch {
        let keys = self.keys
        return try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.seq, o.dispense_id, o.version, o.attempts FROM outbox o
                 WHERE o.state = 'pending' AND o.next_attempt_at <= ?
                   AND NOT EXISTS (SELECT 1 FROM outbox p
                                    WHERE p.dispense_id = o.dispense_id AND p.state = 'pending' AND p.version < o.version)
                 ORDER BY o.seq LIMIT ?
                """, arguments: [now.timeIntervalSince1970, limit])
            var batch = UploadBatch(items: [], unreadable: [])
            for row in rows {
                let seq: Int64 = row["seq"]
                do {
                    if let record = try Self.fetchVersion(db, keys: keys, id: row["dispense_id"], version: row["version"]) {
                        batch.items.append(OutboxItem(seq: seq, attempts: row["attempts"], record: record))
                    } else {
                        batch.unreadable.append(seq)
                    }
                } catch let error as StoreError where error.code == .integrity {
                    batch.unreadable.append(seq)
                }
            }
            return batch
        }
    }

    /// Earliest time an entry `nextUploadBatch` would take becomes due, if any is waiting:
    /// the same rows it considers (the oldest pending version of each dispense), so a later
    /// version that is due but waits behind a deferred older one does not count as due.
    public func nextUploadDue() async throws -> Date? {
        try await read { db in
            try Double.fetchOne(db, sql: """
                SELECT MIN(o.next_attempt_at) FROM outbox o
                 WHERE o.state = 'pending'
                   AND NOT EXISTS (SELECT 1 FROM outbox p
                                    WHERE p.dispense_id = o.dispense_id AND p.state = 'pending' AND p.version < o.version)
                """).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Records the outcome of an upload attempt for each entry, in one transaction.
    public func recordUploadResults(_ results: [(seq: Int64, disposition: UploadDisposition)], now: Date) async throws {
        guard !results.isEmpty else { return }
        let keys = self.keys
        try await write { db in
            for (seq, disposition) in results {
                switch disposition {
                case .sent:
                    try db.execute(sql: """
                        UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL,
                                          error_payload = NULL, error_key_id = NULL
                         WHERE seq = ? AND state = 'pending'
                        """, arguments: [now.timeIntervalSince1970, seq])
                case .retry(let at, let summary):
                    try db.execute(sql: """
                        UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
                         WHERE seq = ? AND state = 'pending'
                        """, arguments: [at.timeIntervalSince1970, summary, seq])
                case .release(let at):
                    try db.execute(sql: """
                        UPDATE outbox SET next_attempt_at = MIN(next_attempt_at, ?) WHERE seq = ? AND state = 'pending'
                        """, arguments: [at.timeIntervalSince1970, seq])
                case .deadLetter(let summary, let outcome):
                    var sealed: Data?
                    if let outcome {
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = .sortedKeys
                        sealed = Data(try AESGCM.seal(Array(try encoder.encode(outcome)), key: keys.dataKey,
                                                      associatedData: Self.outcomeAAD(seq: seq, keyID: keys.dataKeyID)))
                    }
                    try db.execute(sql: """
                        UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, error_payload = ?,
                                          error_key_id = ?
                         WHERE seq = ? AND state = 'pending'
                        """, arguments: [summary, sealed, sealed == nil ? nil : keys.dataKeyID, seq])
                }
            }
        }
    }

    /// Outbox entries in a state (all states when nil), oldest first.
    public func outboxEntries(state: SyncState?, limit: Int) async throws -> [OutboxEntry] {
        let keys = self.keys
        return try await read { db in
            var sql = "SELECT * FROM outbox"
            var arguments: StatementArguments = []
            if let state {
                sql += " WHERE state = ?"
                arguments += [state.rawValue]
            }
            sql += " ORDER BY seq LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let seq: Int64 = row["seq"]
                let state = SyncState(rawValue: row["state"]) ?? .pending
                var outcome: JSONValue?
                if let sealed: Data = row["error_payload"], let keyID: String = row["error_key_id"], keyID == keys.dataKeyID {
                    let plain = try? AESGCM.open(Array(sealed), key: keys.dataKey, associatedData: Self.outcomeAAD(seq: seq, keyID: keyID))
                    outcome = plain.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0)) }
                }
                let sentAt: Double? = row["sent_at"]
                return OutboxEntry(
                    seq: seq, dispenseId: row["dispense_id"], version: row["version"], state: state,
                    attempts: row["attempts"],
                    createdAt: Timestamps.format(Date(timeIntervalSince1970: row["created_at"])),
                    nextAttemptAt: state == .pending ? Timestamps.format(Date(timeIntervalSince1970: row["next_attempt_at"])) : nil,
                    sentAt: sentAt.map { Timestamps.format(Date(timeIntervalSince1970: $0)) },
                    lastError: row["last_error"], outcome: outcome)
            }
        }
    }

    /// What a requeue did.
    public enum RequeueResult: Sendable, Equatable {
        /// Back in the queue, due now.
        case requeued
        /// No such entry, or it is not dead-lettered.
        case notDeadLettered
        /// A newer version of the same dispense was sent or is queued: sending this one
        /// would roll the central record back, so it stays dead-lettered.
        case superseded
    }

    /// Puts a dead-lettered entry back in the queue, due now, unless a newer version of the
    /// same dispense makes it moot.
    public func requeue(seq: Int64, now: Date) async throws -> RequeueResult {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT dispense_id, version FROM outbox WHERE seq = ? AND state = 'failed'",
                                             arguments: [seq]) else { return .notDeadLettered }
            let newer = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM outbox WHERE dispense_id = ? AND version > ? AND state IN ('sent', 'pending')
                """, arguments: [row["dispense_id"] as String, row["version"] as Int]) ?? 0
            guard newer == 0 else { return .superseded }
            try db.execute(sql: """
                UPDATE outbox SET state = 'pending', next_attempt_at = ?, attempts = 0 WHERE seq = ?
                """, arguments: [now.timeIntervalSince1970, seq])
            return .requeued
        }
    }

    static func outcomeAAD(seq: Int64, keyID: String) -> [UInt8] {
        Array("pillbox-outcome-v1|\(seq)|\(keyID)".utf8)
    }
}
