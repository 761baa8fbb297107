import Foundation
import GRDB

/// A table whose rows hold a payload sealed under a data key, as a rotation walks it: which
/// columns name the row (its primary key, in walking order), which name the key and hold the
/// payload, and how the row's clear columns make the payload's `SealContext`.
struct RotatedTable: Sendable {
    let name: String
    let primaryKey: [String]
    let keyIDColumn: String
    let payloadColumn: String
    /// Clear columns `context` reads besides the primary key.
    let contextColumns: [String]
    let context: @Sendable (Row) -> SealContext

    /// Every table a rotation re-encrypts, in the order a pass walks them.
    static let all = [versions, outcomes, profiles]

    static let versions = RotatedTable(
        name: "dispense_version", primaryKey: ["patient_index", "dispense_id", "version"], keyIDColumn: "key_id",
        payloadColumn: "payload", contextColumns: ["status", "recorded_at"]
    ) { row in
        .dispenseVersion(id: row["dispense_id"], version: row["version"], status: row["status"], recordedAt: row["recorded_at"])
    }

    static let outcomes = RotatedTable(
        name: "outbox", primaryKey: ["seq"], keyIDColumn: "error_key_id", payloadColumn: "error_payload", contextColumns: []
    ) { row in .outboxOutcome(seq: row["seq"]) }

    static let profiles = RotatedTable(
        name: "central_profile", primaryKey: ["patient_index"], keyIDColumn: "key_id", payloadColumn: "payload",
        contextColumns: []
    ) { row in .centralProfile(patientIndex: row["patient_index"]) }
}
