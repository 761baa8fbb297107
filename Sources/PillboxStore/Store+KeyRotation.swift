import Foundation
import GRDB
import PillboxCrypto

/// Rotation of the data key (docs/operations.md): a new data key seals new payloads at
/// once, and the payloads sealed under the old one — versions, dead letters' outcomes, cached
/// central profiles — are re-encrypted in small batches, each a short write through group
/// commit, while the store serves. The state is in the database (`key.retired_at`, the
/// `key_rotation` row, and each payload's `key_id`), so a rotation resumes after a crash.
/// Index and audit keys are not rotated: every blind index and the audit chain depend on them.
extension Store {
    /// Whether a rotation is unfinished (the rotation service then has batches to run).
    package var keyRotationPending: Bool { keys.dataKeys.rotationPending }

    /// Starts a rotation: creates a new data key (wrapped under the master key), retires the
    /// current one, and records the rotation; then makes the new key the one that seals.
    /// Refused (`.alreadyRunning`) while an earlier rotation is unfinished.
    package func startKeyRotation(now: Date) async throws -> RotationStart {
        let keyring = keys.dataKeys
        let newID: String? = try await write { db in
            if try StoreKeys.rotationPending(db) { return nil }
            let oldID = keyring.currentID
            let (id, key) = try StoreKeys.insertNewKey(db, purpose: "data", master: keyring.master, now: now)
            try db.execute(sql: "UPDATE key SET retired_at = ? WHERE purpose = 'data' AND retired_at IS NULL AND id != ?",
                           arguments: [now.timeIntervalSince1970, id])
            let total = try Self.payloadsUnderRetiredKeys(db)
            try db.execute(sql: """
                INSERT OR REPLACE INTO key_rotation (id, from_key_id, to_key_id, started_at, total, rewritten, unreadable, finished_at)
                VALUES (1, ?, ?, ?, ?, 0, 0, NULL)
                """, arguments: [oldID, id, now.timeIntervalSince1970, total])
            // Known (so payloads naming it open) but not sealing until the rotation committed.
            keyring.add(id: id, key: key)
            return id
        }
        guard let newID else { return .alreadyRunning(try await keyringReport(now: now)) }
        keyring.rotationPending = true
        // A write of its own, after the commit: no write's work sees the key change midway,
        // and no payload is sealed under a key the database does not hold. Should it fail, the
        // rotation's first batch makes the new key current (the table names it).
        do {
            try await write { _ in keyring.makeCurrent(id: newID) }
        } catch {
            logger.warning("The new data key is not in service yet; the rotation's first batch will put it there",
                           metadata: ["key.id": "\(newID)", "error": "\(error)"])
        }
        logger.notice("Data key rotation started", metadata: ["key.id": "\(newID)"])
        return .started(try await keyringReport(now: now))
    }

    /// Re-encrypts up to `limit` payloads still under a retired data key, from `cursor`, in
    /// one write. When a pass is over and none is left (or only payloads that do not open),
    /// deletes the retired keys no payload names and records the rotation as finished.
    /// Returns nil when no rotation is unfinished.
    package func rotateKeyBatch(from cursor: RotationCursor, limit: Int, now: Date) async throws -> RotationStep? {
        let keyring = keys.dataKeys
        let logger = self.logger
        let step: RotationStep? = try await write { db in
            guard try StoreKeys.rotationPending(db) else { return nil }
            // The current key is the one the table names (after a failed switch, or a restart).
            if let current = try String.fetchOne(db, sql: "SELECT id FROM key WHERE purpose = 'data' AND retired_at IS NULL"),
               current != keyring.currentID, keyring.key(id: current) != nil {
                keyring.makeCurrent(id: current)
            }
            let retired = try String.fetchAll(db, sql: "SELECT id FROM key WHERE purpose = 'data' AND retired_at IS NOT NULL")
            var rotation = KeyRotationBatch(db: db, sealer: keyring.sealer, retired: retired, cursor: cursor, limit: limit)
            try rotation.run()
            var step = RotationStep(cursor: rotation.cursor, rewritten: rotation.rewritten, remaining: 0, finished: false,
                                    unreadable: 0)
            try db.execute(sql: "UPDATE key_rotation SET rewritten = rewritten + ? WHERE id = 1", arguments: [rotation.rewritten])
            step.remaining = try Self.payloadsUnderRetiredKeys(db)
            guard rotation.cursor.isDone else { return step }
            if step.remaining > 0 && rotation.cursor.rewrittenThisPass > 0 {
                // Payloads sealed under the old key while the new one was being put in place: one more pass.
                step.cursor = RotationCursor()
                return step
            }
            for id in retired where try Self.payloadsUnder(db, keyID: id) == 0 {
                try db.execute(sql: "DELETE FROM key WHERE id = ?", arguments: [id])
            }
            try db.execute(sql: "UPDATE key_rotation SET finished_at = ?, unreadable = ? WHERE id = 1",
                           arguments: [now.timeIntervalSince1970, step.remaining])
            step.finished = true
            step.unreadable = step.remaining
            return step
        }
        if let step, step.finished {
            keyring.rotationPending = false
            if step.unreadable > 0 {
                logger.error("Data key rotation finished, but some payloads do not open and stay under the old key",
                             metadata: ["rotation.unreadable": "\(step.unreadable)"])
            } else {
                logger.notice("Data key rotation finished; the old data key was deleted",
                              metadata: ["key.id": "\(keyring.currentID)"])
            }
        }
        if step == nil { keyring.rotationPending = false }
        return step
    }

    /// The keys, their ages and the last rotation's progress.
    package func keyringReport(now: Date) async throws -> KeyringReport {
        let masterKeyID = self.masterKeyID
        return try await read { db in
            var keys: [KeyringReport.Key] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, purpose, created_at, retired_at FROM key ORDER BY purpose, created_at") {
                let id: String = row["id"]
                let retiredAt: Double? = row["retired_at"]
                keys.append(.init(id: id, purpose: row["purpose"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                                  retiredAt: retiredAt.map(Date.init(timeIntervalSince1970:)),
                                  rowsUnderKey: retiredAt == nil ? nil : try Self.payloadsUnder(db, keyID: id)))
            }
            var rotation: KeyringReport.Rotation?
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM key_rotation WHERE id = 1") {
                let finishedAt: Double? = row["finished_at"]
                rotation = .init(fromKeyID: row["from_key_id"], toKeyID: row["to_key_id"],
                                 startedAt: Date(timeIntervalSince1970: row["started_at"]),
                                 finishedAt: finishedAt.map(Date.init(timeIntervalSince1970:)),
                                 total: row["total"], rewritten: row["rewritten"],
                                 remaining: try Self.payloadsUnderRetiredKeys(db), unreadable: row["unreadable"])
            }
            return KeyringReport(masterKeyID: masterKeyID, keys: keys, rotation: rotation)
        }
    }

    /// Payloads (versions, outcomes, profiles) sealed under the data key `keyID`.
    static func payloadsUnder(_ db: Database, keyID: String) throws -> Int {
        let counts = RotatedTable.all.map { "(SELECT COUNT(*) FROM \($0.name) WHERE \($0.keyIDColumn) = ?1)" }
        return try Int.fetchOne(db, sql: "SELECT " + counts.joined(separator: " + "), arguments: [keyID]) ?? 0
    }

    /// Payloads sealed under any retired data key.
    static func payloadsUnderRetiredKeys(_ db: Database) throws -> Int {
        try String.fetchAll(db, sql: "SELECT id FROM key WHERE purpose = 'data' AND retired_at IS NOT NULL")
            .reduce(0) { $0 + (try payloadsUnder(db, keyID: $1)) }
    }
}
