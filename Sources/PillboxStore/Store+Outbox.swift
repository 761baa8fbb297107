import Foundation
import GRDB
import PillboxModel

/// A version waiting for upload, with its content.
package struct OutboxItem: Sendable, Equatable {
    /// Position in the outbox (the order versions were recorded in).
    package var seq: Int64
    /// Attempts made so far.
    package var attempts: Int
    package var record: DispenseRecord
}

/// The next versions to upload, and the entries whose stored version cannot be read
/// (failed authentication or missing): those are dead-lettered rather than blocking the queue.
package struct UploadBatch: Sendable, Equatable {
    package var items: [OutboxItem]
    package var unreadable: [Int64]
}

/// What happened to one entry of an upload attempt.
package enum UploadDisposition: Sendable, Equatable {
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

/// Every statement on the `outbox` table is in this file; states are bound as `SyncState`.
extension Store {
    /// The next versions to upload, oldest first: at most one version per dispense (its
    /// oldest pending one), and only those due now.
    package func nextUploadBatch(limit: Int, now: Date) async throws -> UploadBatch {
        let keys = self.keys
        return try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.seq, o.dispense_id, o.version, o.attempts \(Self.queueHeads)
                   AND o.next_attempt_at <= :now ORDER BY o.seq LIMIT :limit
                """, arguments: ["pending": SyncState.pending, "now": now.timeIntervalSince1970, "limit": limit])
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
    package func nextUploadDue() async throws -> Date? {
        try await read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(o.next_attempt_at) \(Self.queueHeads)", arguments: ["pending": SyncState.pending])
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// The oldest pending version of each dispense (alias `o`; binds `:pending`).
    private static let queueHeads = """
        FROM outbox o
         WHERE o.state = :pending
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.dispense_id = o.dispense_id AND p.state = :pending AND p.version < o.version)
        """

    /// Records the outcome of an upload attempt for each entry, in one transaction. Only
    /// pending entries change.
    package func recordUploadResults(_ results: [(seq: Int64, disposition: UploadDisposition)], now: Date) async throws {
        guard !results.isEmpty else { return }
        let keys = self.keys
        try await write { db in
            // Inside the write: the data key a rotation put in service (Store+KeyRotation).
            let sealer = keys.sealer
            for (seq, disposition) in results {
                let (set, values): (String, StatementArguments)
                switch disposition {
                case .sent:
                    set = "state = ?, sent_at = ?, attempts = attempts + 1, last_error = NULL, error_payload = NULL, error_key_id = NULL"
                    values = [SyncState.sent, now.timeIntervalSince1970]
                case .retry(let at, let summary):
                    (set, values) = ("attempts = attempts + 1, next_attempt_at = ?, last_error = ?", [at.timeIntervalSince1970, summary])
                case .release(let at):
                    (set, values) = ("next_attempt_at = MIN(next_attempt_at, ?)", [at.timeIntervalSince1970])
                case .deadLetter(let summary, let outcome):
                    let sealed = try outcome.map { try sealer.seal(json: $0, for: .outboxOutcome(seq: seq)) }
                    // A dead letter's next_attempt_at is unused until it is requeued: it keeps
                    // when it was dead-lettered, for `requeueAll(failedSince:)`.
                    set = "state = ?, attempts = attempts + 1, last_error = ?, error_payload = ?, error_key_id = ?, next_attempt_at = ?"
                    values = [SyncState.failed, summary, sealed, sealed.map { _ in sealer.keyID }, now.timeIntervalSince1970]
                }
                // Four statements in all, each compiled once per connection (a batch of 100
                // compiled its update 100 times: docs/performance.md, "upload: the bundle written directly").
                try db.cachedStatement(sql: "UPDATE outbox SET \(set) WHERE seq = ? AND state = ?")
                    .execute(arguments: values + [seq, SyncState.pending])
            }
        }
    }

    /// Outbox entries in a state (all states when nil), oldest first.
    package func outboxEntries(state: SyncState?, limit: Int) async throws -> [OutboxEntry] {
        let sealer = keys.sealer
        return try await read { db in
            // Two statements, so that a state's listing reads index outbox_by_state.
            let rows = try state.map { try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE state = ? ORDER BY seq LIMIT ?",
                                                        arguments: [$0, limit]) }
                ?? Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY seq LIMIT ?", arguments: [limit])
            let opener = PayloadOpener(sealer: sealer)
            return rows.map { row in
                let seq: Int64 = row["seq"]
                let state = SyncState(rawValue: row["state"]) ?? .pending
                var outcome: JSONValue?
                if let sealed: Data = row["error_payload"], let keyID: String = row["error_key_id"] {
                    outcome = opener.open(JSONValue.self, from: sealed, keyID: keyID, for: .outboxOutcome(seq: seq))
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
    package enum RequeueResult: Sendable, Equatable {
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
    package func requeue(seq: Int64, now: Date) async throws -> RequeueResult {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT dispense_id, version FROM outbox WHERE seq = ? AND state = ?",
                                             arguments: [seq, SyncState.failed]) else { return .notDeadLettered }
            let newer = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM outbox WHERE dispense_id = ? AND version > ? AND state IN (?, ?)
                """, arguments: [row["dispense_id"] as String, row["version"] as Int, SyncState.sent, SyncState.pending]) ?? 0
            guard newer == 0 else { return .superseded }
            try db.execute(sql: "UPDATE outbox SET state = ?, next_attempt_at = ?, attempts = 0 WHERE seq = ?",
                           arguments: [SyncState.pending, now.timeIntervalSince1970, seq])
            return .requeued
        }
    }

    /// What `requeueAll` did.
    package struct RequeueAllResult: Sendable, Equatable {
        /// Dead letters put back in the queue, due now.
        package var requeued: Int
        /// Dead letters left dead because a newer version of their dispense was sent or is
        /// queued (resending them would roll the central record back).
        package var superseded: Int

        package init(requeued: Int, superseded: Int) {
            self.requeued = requeued
            self.superseded = superseded
        }
    }

    /// Puts every dead letter back in the queue, due now (only those dead-lettered at or after
    /// `failedSince`, when given), in one transaction, with the rule of `requeue(seq:now:)`:
    /// a dead letter with a newer version of its dispense sent or queued stays dead; of several
    /// dead versions of one dispense that are selected, only the newest is requeued.
    ///
    /// When an entry was dead-lettered is its `next_attempt_at` (set when it was
    /// dead-lettered; for one dead-lettered before that rule, the time its failing attempt
    /// was due, which is at most a back-off earlier).
    package func requeueAll(failedSince: Date?, now: Date) async throws -> RequeueAllResult {
        let arguments: StatementArguments = [
            "failed": SyncState.failed, "pending": SyncState.pending, "sent": SyncState.sent,
            "since": failedSince?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude, "now": now.timeIntervalSince1970,
        ]
        return try await write { db in
            let selected = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = :failed AND next_attempt_at >= :since",
                                            arguments: arguments) ?? 0
            // One statement, whatever order SQLite updates rows in: a selected dead letter stays
            // dead when a later version of its dispense is sent, pending (before or by this
            // update) or itself selected; so of several selected versions only the newest goes.
            try db.execute(sql: """
                UPDATE outbox SET state = :pending, next_attempt_at = :now, attempts = 0
                 WHERE state = :failed AND next_attempt_at >= :since
                   AND NOT EXISTS (SELECT 1 FROM outbox n
                                    WHERE n.dispense_id = outbox.dispense_id AND n.version > outbox.version
                                      AND (n.state IN (:sent, :pending) OR (n.state = :failed AND n.next_attempt_at >= :since)))
                """, arguments: arguments)
            let requeued = db.changesCount
            return RequeueAllResult(requeued: requeued, superseded: selected - requeued)
        }
    }

    /// Queues a newly recorded version, due now (inside the recording transaction).
    static func enqueue(_ db: Database, dispenseID: String, version: Int, at: Double) throws {
        try db.cachedStatement(sql: "INSERT INTO outbox (dispense_id, version, state, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)").execute(
                       arguments: [dispenseID, version, SyncState.pending, at, at])
    }

    /// Pending entries, when the oldest of them was recorded, and dead letters. The counts are
    /// kept by triggers (`Schema.keepOutboxSummary`), counted only if the summary's row is
    /// gone; the oldest is the first entry still waiting in queue order (`outbox_by_state`),
    /// one look-up: entries are queued as they are recorded, so it is the oldest recorded
    /// unless the clock was set back between two of them.
    static func outboxCounts(_ db: Database) throws -> (pending: Int, oldestPending: Date?, failed: Int) {
        let kept = try Row.fetchOne(db.cachedStatement(sql: "SELECT pending, failed FROM store_summary WHERE id = 1"))
        // The summary's columns are named as the states they count.
        func count(_ state: SyncState) throws -> Int {
            try kept?[state.rawValue] ?? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = ?", arguments: [state]) ?? 0
        }
        let oldest = try Double.fetchOne(db.cachedStatement(sql: "SELECT created_at FROM outbox WHERE state = ? ORDER BY seq LIMIT 1"),
                                         arguments: [SyncState.pending])
        return (try count(.pending), oldest.map(Date.init(timeIntervalSince1970:)), try count(.failed))
    }
}

/// An outbox entry's state is stored as its raw value.
extension SyncState: DatabaseValueConvertible {}
