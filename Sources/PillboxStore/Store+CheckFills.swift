import Foundation
import GRDB
import Logging
import PillboxModel

extension Store {
    /// What the dispensing checks need of a patient's fills: the rows `profile(nam:since:limit:)`
    /// lists (current versions, newest first, none entered in error), each opened through the
    /// same cipher path (bound to its row, refused under an unknown key or when altered), but
    /// decoded into `CheckFillFacts` instead of a full `Dispense`. A row the profile would flag
    /// as unreadable is counted (and logged with its id) instead.
    package func checkFills(nam: String, since: Date?, limit: Int) async throws -> CheckFillListing {
        let (keys, logger) = (self.keys, self.logger)
        return try await read { db in
            // A cursor reads each row in place (fetchAll would copy every row, payload included).
            let rows = try Row.fetchCursor(db.cachedStatement(sql: Self.profileSQL), arguments: [
                keys.blindIndex("nam", nam), since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude, limit,
            ])
            var listing = CheckFillListing(fills: [], unreadable: 0)
            listing.fills.reserveCapacity(min(limit, 256))
            let opener = PayloadOpener(sealer: keys.sealer)
            while let row = try rows.next() {
                do throws(StoreError) {
                    listing.fills.append(try Self.checkFillFacts(from: row, opener: opener))
                } catch {
                    Self.logIntegrityFailure(error, id: row[Self.ListingColumn.id], logger: logger)
                    listing.unreadable += 1
                }
            }
            return listing
        }
    }

    /// One listing row as the checks see it; throws exactly where `listed(_:keys:logger:)`
    /// flags the row (missing or superseded version, unknown key, failed authentication,
    /// content that does not decode, unknown status or sync state).
    static func checkFillFacts(from row: Row, opener: PayloadOpener) throws(StoreError) -> CheckFillFacts {
        typealias C = ListingColumn
        let id: String = row[C.id]
        let version: Int = row[C.version]
        guard let payload = row[C.payload] as Data? else {
            throw StoreError(.integrity, "dispense \(id) points at version \(version), which does not exist; the row was altered")
        }
        guard version == row[C.newest] as Int? else {
            throw StoreError(.integrity, "dispense \(id) points at version \(version), not its newest; the row was altered")
        }
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
        let syncText: String = row[C.syncState] ?? SyncState.pending.rawValue
        guard let status = DispenseStatus(rawValue: statusText), SyncState(rawValue: syncText) != nil else {
            throw StoreError(.integrity, "dispense \(id) version \(version) has an unknown status or sync state")
        }
        let dispense = content.dispense
        // Dated as the full record is: its `whenHandedOver`, else its version's recorded time
        // as the record formats it (`record(from:keys:)`), parsed through the memory of
        // parsed timestamps (exact; the `dispensed_at` column can differ in the last bit).
        let date = dispense.whenHandedOver.flatMap(ParsedTimestamps.date)
            ?? ParsedTimestamps.date(Timestamps.format(Date(timeIntervalSince1970: recordedAt))) ?? .distantPast
        return CheckFillFacts(id: id, status: status, date: date, pharmacyDispenseId: dispense.pharmacyDispenseId,
                              din: dispense.medication.din, substanceCode: dispense.medication.substanceCode,
                              quantity: dispense.quantity?.value, daysSupply: dispense.daysSupply,
                              prescriptionId: dispense.prescriptionId)
    }
}
