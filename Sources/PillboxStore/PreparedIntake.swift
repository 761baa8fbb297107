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
    let indexes: DispenseIndexes
    /// When it is recorded (`created_at`, the version's `recorded_at`, the audit entry's time).
    let now: Date
    var recordedAt: Double { now.timeIntervalSince1970 }
    /// Version 1's plaintext (its `SealedContent` as `JSONCoding.encoder` writes it): sealed into
    /// `payload`, and what a created dispense's answer is spliced from (`RecordedIntake`).
    let content: [UInt8]
    /// Version 1 sealed for its row, under the data key `keyID`.
    let payload: Data
    let keyID: String

    init(_ dispense: Dispense, keys: StoreKeys, now: Date) throws {
        self.dispense = dispense
        dispenseIndex = keys.blindIndex("pharmacyDispenseId", dispense.pharmacyDispenseId)
        id = RecordID.new(at: now)
        indexes = DispenseIndexes(dispense, keys: keys, now: now)
        self.now = now
        content = Array(try JSONCoding.encoder.encode(SealedContent(dispense: dispense, reason: nil)))
        let sealer = keys.sealer
        payload = try Self.seal(content, id: id, now: now, with: sealer)
        keyID = sealer.keyID
    }

    /// Version 1's plaintext sealed for its row (`SealContext.dispenseVersion`).
    private static func seal(_ content: [UInt8], id: String, now: Date, with sealer: Sealer) throws -> Data {
        try sealer.seal(content, for: .dispenseVersion(
            id: id, version: 1, status: DispenseStatus.completed.rawValue, recordedAt: now.timeIntervalSince1970))
    }

    /// The payload and key id to store: as prepared, or sealed again when a key rotation made
    /// another data key current since (a payload must be sealed under the key current at its
    /// commit, or the rotation, which re-encrypts what the retired key sealed, could miss it).
    /// Call inside the write.
    func sealed(keys: StoreKeys) throws -> (payload: Data, keyID: String) {
        let sealer = keys.sealer
        if sealer.keyID == keyID { return (payload, keyID) }
        return (try Self.seal(content, id: id, now: now, with: sealer), sealer.keyID)
    }
}
