import Foundation
import PillboxChecks
import PillboxModel
import PillboxStore

extension CheckFill {
    /// A local dispense, as its current version says: what the checks read
    /// (`Store.checkFills`). Equal to `init(local:)` of the full record.
    init(local facts: CheckFillFacts) {
        self.init(id: facts.id, source: .local, status: facts.status.rawValue, date: facts.date,
                  pharmacyDispenseId: facts.pharmacyDispenseId, din: facts.din, substanceCode: facts.substanceCode,
                  quantity: facts.quantity, daysSupply: facts.daysSupply, prescriptionId: facts.prescriptionId)
    }

    /// A local dispense from its full record: the reference `init(local:)` of the facts the
    /// checks read must equal (`CheckFillReadTests`).
    init(local record: DispenseRecord) {
        let dispense = record.dispense
        self.init(id: record.id, source: .local, status: record.status.rawValue,
                  date: dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339)
                      ?? Timestamps.parseRFC3339(record.recordedAt) ?? .distantPast,
                  pharmacyDispenseId: dispense.pharmacyDispenseId, din: dispense.medication.din,
                  substanceCode: dispense.medication.substanceCode, quantity: dispense.quantity?.value,
                  daysSupply: dispense.daysSupply, prescriptionId: dispense.prescriptionId)
    }

    /// A central dispense, dated by the time the profile sorts it by (`CentralDispense.sortDate`).
    init(central dispense: CentralDispense) {
        self.init(id: dispense.resourceID, source: .central, status: dispense.status,
                  date: dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339)
                      ?? dispense.lastUpdated.flatMap(Timestamps.parseRFC3339) ?? .distantPast,
                  din: dispense.medication.din, substanceCode: dispense.medication.substanceCode.flatMap(Identifiers.normalizedATC),
                  quantity: dispense.quantity?.value, daysSupply: dispense.daysSupply,
                  prescriptionId: dispense.prescriptionId, pharmacy: dispense.pharmacy)
    }
}
