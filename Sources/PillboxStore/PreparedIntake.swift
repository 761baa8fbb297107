import Foundation
import PillboxModel

/// What a new dispense's rows hold that the database does not decide: its record id, its blind
/// indexes, its date and its sealed version 1. Made before the write joins the group commit
/// (`Store.recordDispense`), so that the writer, whose serial section bounds how many records
/// a second the store takes, runs only SQL for it (docs/performance.md, "intake: sealed
/// before the writer").
///
/// Made for nothing if the dispense turns out to be a replay or a conflict; that is found
/// inside the write, which alone sees the committed rows.
struct PreparedIntake: Sendable {
    let dispense: Dispense
    let dispenseIndex: Data
    let id: String
    let patientIndex: Data
    let dinIndex: Data?
    let lotIndex: Data?
    /// The dispense's `whenHandedOver`, or `now` without one (seconds since 1970).
    let dispensedAt: Double
    /// When it is recorded (`created_at`, the version's `recorded_at`, the audit entry's time).
    let now: Date
    var recordedAt: Double { now.timeIntervalSince1970 }
    /// Version 1 sealed for its row, under the data key `keyID`.
    let payload: Data
    let keyID: String

    init(_ dispense: Dispense, keys: StoreKeys, now: Date) throws {
        self.dispense = dispense
        dispenseIndex = keys.blindIndex("pharmacyDispenseId", dispense.pharmacyDispenseId)
        id = RecordID.new(at: now)
        patientIndex = keys.blindIndex("nam", dispense.patient.nam)
        dinIndex = dispense.medication.din.map { keys.blindIndex("din", $0) }
        lotIndex = dispense.lot.map(keys.lotIndex)
        dispensedAt = (dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339) ?? now).timeIntervalSince1970
        self.now = now
        let sealer = keys.sealer
        payload = try sealer.seal(json: SealedContent(dispense: dispense, reason: nil), for: Self.context(id: id, now: now))
        keyID = sealer.keyID
    }

    private static func context(id: String, now: Date) -> SealContext {
        .dispenseVersion(id: id, version: 1, status: DispenseStatus.completed.rawValue, recordedAt: now.timeIntervalSince1970)
    }

    /// The payload and key id to store: as prepared, or sealed again when a key rotation made
    /// another data key current since (a payload must be sealed under the key current at its
    /// commit, or the rotation, which re-encrypts what the retired key sealed, could miss it).
    /// Call inside the write.
    func sealed(keys: StoreKeys) throws -> (payload: Data, keyID: String) {
        let sealer = keys.sealer
        if sealer.keyID == keyID { return (payload, keyID) }
        return (try sealer.seal(json: SealedContent(dispense: dispense, reason: nil), for: Self.context(id: id, now: now)), sealer.keyID)
    }
}
