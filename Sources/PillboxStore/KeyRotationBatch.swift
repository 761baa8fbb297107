import Foundation
import GRDB

/// One batch of a rotation, inside one write: re-encrypts up to `limit` payloads still under
/// a retired data key, versions first, then dead letters' outcomes, then cached central
/// profiles, each in primary-key order from `cursor`. A payload is opened under the key its
/// row names and sealed again under the current key for the same place (`SealContext`), and
/// its row is updated only if it still names that key. A payload that does not open is
/// skipped (counted by the caller as unreadable) and keeps its key.
struct KeyRotationBatch {
    let db: Database
    let sealer: Sealer
    let retired: [String]
    var cursor: RotationCursor
    let limit: Int
    private(set) var rewritten = 0
    private var looked = 0

    init(db: Database, sealer: Sealer, retired: [String], cursor: RotationCursor, limit: Int) {
        self.db = db
        self.sealer = sealer
        self.retired = retired
        self.cursor = cursor
        self.limit = limit
    }

    mutating func run() throws {
        guard !retired.isEmpty else {
            cursor.phase = .done
            return
        }
        while looked < limit && cursor.phase != .done {
            let asked = limit - looked
            let found: Int
            switch cursor.phase {
            case .versions: found = try versions(asked)
            case .outcomes: found = try outcomes(asked)
            case .profiles: found = try profiles(asked)
            case .done: found = 0
            }
            // Fewer rows than asked for: this kind of payload is done for this pass.
            if found < asked {
                switch cursor.phase {
                case .versions: cursor.phase = .outcomes
                case .outcomes: cursor.phase = .profiles
                case .profiles, .done: cursor.phase = .done
                }
            }
        }
    }

    private var placeholders: String { retired.map { _ in "?" }.joined(separator: ", ") }

    private mutating func versions(_ asked: Int) throws -> Int {
        let after = cursor.afterVersion ?? ("", 0)
        let rows = try Row.fetchAll(db, sql: """
            SELECT dispense_id, version, status, recorded_at, key_id, payload FROM dispense_version
            WHERE key_id IN (\(placeholders)) AND (dispense_id, version) > (?, ?)
            ORDER BY dispense_id, version LIMIT ?
            """, arguments: StatementArguments(retired) + [after.0, after.1, asked])
        for row in rows {
            let id: String = row["dispense_id"]
            let version: Int = row["version"]
            let keyID: String = row["key_id"]
            cursor.afterVersion = (id, version)
            looked += 1
            let context = SealContext.dispenseVersion(id: id, version: version, status: row["status"], recordedAt: row["recorded_at"])
            guard let plain = sealer.open(row["payload"], keyID: keyID, for: context) else { continue }
            try db.execute(sql: """
                UPDATE dispense_version SET key_id = ?, payload = ? WHERE dispense_id = ? AND version = ? AND key_id = ?
                """, arguments: [sealer.keyID, try sealer.seal(plain, for: context), id, version, keyID])
            count()
        }
        return rows.count
    }

    private mutating func outcomes(_ asked: Int) throws -> Int {
        let rows = try Row.fetchAll(db, sql: """
            SELECT seq, error_key_id, error_payload FROM outbox
            WHERE error_key_id IN (\(placeholders)) AND seq > ? ORDER BY seq LIMIT ?
            """, arguments: StatementArguments(retired) + [cursor.afterSeq, asked])
        for row in rows {
            let seq: Int64 = row["seq"]
            let keyID: String = row["error_key_id"]
            cursor.afterSeq = seq
            looked += 1
            guard let payload: Data = row["error_payload"],
                  let plain = sealer.open(payload, keyID: keyID, for: .outboxOutcome(seq: seq)) else { continue }
            try db.execute(sql: "UPDATE outbox SET error_key_id = ?, error_payload = ? WHERE seq = ? AND error_key_id = ?",
                           arguments: [sealer.keyID, try sealer.seal(plain, for: .outboxOutcome(seq: seq)), seq, keyID])
            count()
        }
        return rows.count
    }

    private mutating func profiles(_ asked: Int) throws -> Int {
        let rows = try Row.fetchAll(db, sql: """
            SELECT patient_index, key_id, payload FROM central_profile
            WHERE key_id IN (\(placeholders)) AND patient_index > ? ORDER BY patient_index LIMIT ?
            """, arguments: StatementArguments(retired) + [cursor.afterIndex ?? Data(), asked])
        for row in rows {
            let index: Data = row["patient_index"]
            let keyID: String = row["key_id"]
            cursor.afterIndex = index
            looked += 1
            let context = SealContext.centralProfile(patientIndex: index)
            guard let plain = sealer.open(row["payload"], keyID: keyID, for: context) else { continue }
            try db.execute(sql: "UPDATE central_profile SET key_id = ?, payload = ? WHERE patient_index = ? AND key_id = ?",
                           arguments: [sealer.keyID, try sealer.seal(plain, for: context), index, keyID])
            count()
        }
        return rows.count
    }

    private mutating func count() {
        rewritten += 1
        cursor.rewrittenThisPass += 1
    }
}
