import Foundation
import GRDB
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
            var batch = UploadBatch(items: [], unreadable: [])
            for row in try OutboxTable.due(db, now: now, limit: limit) {
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
        try await read { db in try OutboxTable.nextDue(db) }
    }

    /// Records the outcome of an upload attempt for each entry, in one transaction.
    public func recordUploadResults(_ results: [(seq: Int64, disposition: UploadDisposition)], now: Date) async throws {
        guard !results.isEmpty else { return }
        let sealer = keys.sealer
        try await write { db in
            for (seq, disposition) in results {
                switch disposition {
                case .sent:
                    try OutboxTable.markSent(db, seq: seq, at: now)
                case .retry(let at, let summary):
                    try OutboxTable.scheduleRetry(db, seq: seq, at: at, summary: summary)
                case .release(let at):
                    try OutboxTable.release(db, seq: seq, at: at)
                case .deadLetter(let summary, let outcome):
                    let sealed = try outcome.map { (try sealer.seal(json: $0, for: .outboxOutcome(seq: seq)), sealer.keyID) }
                    try OutboxTable.deadLetter(db, seq: seq, summary: summary, outcome: sealed)
                }
            }
        }
    }

    /// Outbox entries in a state (all states when nil), oldest first.
    public func outboxEntries(state: SyncState?, limit: Int) async throws -> [OutboxEntry] {
        let sealer = keys.sealer
        return try await read { db in
            try OutboxTable.entries(db, state: state, limit: limit).map { row in
                let seq: Int64 = row["seq"]
                let state = SyncState(rawValue: row["state"]) ?? .pending
                var outcome: JSONValue?
                if let sealed: Data = row["error_payload"], let keyID: String = row["error_key_id"] {
                    outcome = sealer.open(JSONValue.self, from: sealed, keyID: keyID, for: .outboxOutcome(seq: seq))
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
        try await write { db in try OutboxTable.requeue(db, seq: seq, at: now) }
    }
}
