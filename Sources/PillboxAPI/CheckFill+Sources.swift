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

    /// A central dispense as `CentralRecordView` hands it over (a JSON object with the
    /// members of `CentralDispense`), dated by the time the profile sorts it by.
    init?(central entry: JSONValue, at date: Date) {
        guard case .object(let object) = entry, case .string(let id)? = object["resourceID"],
              case .string(let status)? = object["status"] else { return nil }
        func string(_ value: JSONValue?) -> String? { if case .string(let text)? = value { text } else { nil } }
        func number(_ value: JSONValue?) -> Double? { if case .number(let number)? = value { number } else { nil } }
        var medication: [String: JSONValue] = [:]
        if case .object(let members)? = object["medication"] { medication = members }
        var quantity: Double?
        if case .object(let members)? = object["quantity"] { quantity = number(members["value"]) }
        self.init(id: id, source: .central, status: status, date: date, din: string(medication["din"]),
                  substanceCode: string(medication["substanceCode"]).flatMap(Identifiers.normalizedATC), quantity: quantity,
                  daysSupply: number(object["daysSupply"]).map { Int($0) }, prescriptionId: string(object["prescriptionId"]),
                  pharmacy: string(object["pharmacy"]))
    }
}
