import Foundation
import GRDB
import Logging
import PillboxModel

extension Store {
    /// What the dispensing checks need of a patient's fills: the rows `profile(nam:since:limit:)`
    /// lists (current versions, newest first, none entered in error), each opened through the
    /// same cipher path (bound to its row, refused under an unknown key or when altered), but
    /// decoded into `CheckFillFacts` instead of a full `Dispense`. A row the profile would flag
    /// as unreadable is counted (and logged with its id) instead. The outbox is not read
    /// (`checkListingSQL`): a fill whose outbox entry was altered still counts in the checks,
    /// where the profile flags it.
    package func checkFills(nam: String, since: Date?, limit: Int) async throws -> CheckFillListing {
        let (keys, logger) = (self.keys, self.logger)
        return try shortRead { db in
            let opener = PayloadOpener(sealer: keys.sealer)
            let read = try Self.patientListing(db, sql: Self.checkListingSQL, keys: keys, nam: nam, since: since, limit: limit,
                                               logger: logger,
                                               entry: { row, id, version throws(StoreError) -> CheckFillFacts? in
                try Self.checkFillFacts(from: row, id: id, version: version, opener: opener)
            }, flag: { _ in nil })
            let fills = read.entries.compactMap { $0 }
            return CheckFillListing(fills: fills, unreadable: read.entries.count - fills.count)
        }
    }

    /// One listing row, its current version found and the newest, as the checks see it; throws
    /// exactly where `profileAnswer` flags the row (unknown key, failed authentication,
    /// content that does not decode, unknown status), but for the sync state, not read here.
    static func checkFillFacts(from row: Row, id: String, version: Int, opener: PayloadOpener) throws(StoreError) -> CheckFillFacts {
        typealias C = ListingColumn
        let payload: Data = row[C.payload]
        let keyID: String = row[C.keyID]
        guard opener.knows(keyID: keyID) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) names an unknown data key")
        }
        let statusText: String = row[C.status]
        let recordedAt: Double = row[C.recordedAt]
        guard let plaintext = opener.open(payload, keyID: keyID, for: .dispenseVersion(
            id: id, version: version, status: statusText, recordedAt: recordedAt)),
            let content = CheckContentReader.read(plaintext)
                ?? (try? JSONCoding.decoder.decode(SealedCheckContent.self, from: Data(plaintext))) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) failed authentication; the row was altered or moved")
        }
        guard let status = DispenseStatus(rawValue: statusText) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) has an unknown status")
        }
        let dispense = content.dispense
        // Dated as the full record is: its `whenHandedOver`, else its version's recorded time
        // as the record formats it (`record(from:keys:)`), parsed again (exact; the
        // `dispensed_at` column can differ in the last bit).
        let date = dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339)
            ?? Timestamps.parseRFC3339(Timestamps.format(Date(timeIntervalSince1970: recordedAt))) ?? .distantPast
        return CheckFillFacts(id: id, status: status, date: date, pharmacyDispenseId: dispense.pharmacyDispenseId,
                              din: dispense.medication.din, substanceCode: dispense.medication.substanceCode,
                              quantity: dispense.quantity?.value, daysSupply: dispense.daysSupply,
                              prescriptionId: dispense.prescriptionId)
    }
}
