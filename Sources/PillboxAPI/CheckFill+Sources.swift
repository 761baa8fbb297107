import Foundation
import PillboxChecks
import PillboxModel

extension CheckFill {
    /// A local dispense, as its current version says.
    init(local record: DispenseRecord) {
        let dispense = record.dispense
        self.init(id: record.id, source: .local, status: record.status.rawValue,
                  date: dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339)
                      ?? Timestamps.parseRFC3339(record.recordedAt) ?? .distantPast,
                  pharmacyDispenseId: dispense.pharmacyDispenseId, din: dispense.medication.din,
                  substanceCode: dispense.medication.substanceCode, quantity: dispense.quantity?.value,
                  daysSupply: dispense.daysSupply, prescriptionId: dispense.prescriptionId)
    }

    /// A central dispense, dated by the time the profile sorts it by.
    init(central dispense: CentralDispense) {
        self.init(id: dispense.resourceID, source: .central, status: dispense.status, date: dispense.sortDate,
                  din: dispense.medication.din, substanceCode: dispense.medication.substanceCode.flatMap(Identifiers.normalizedATC),
                  quantity: dispense.quantity?.value, daysSupply: dispense.daysSupply,
                  prescriptionId: dispense.prescriptionId, pharmacy: dispense.pharmacy)
    }
}
