import Foundation

/// A fill the checks compare the new one with: a local dispense (its current version) or a
/// dispense the central record holds (live or cached).
package struct CheckFill: Sendable, Equatable {
    /// Where the fill is known from.
    package enum Source: String, Sendable, Equatable, Codable {
        case local
        case central
    }

    /// Local: Pillbox's dispense id. Central: the resource id on the central record.
    package var id: String
    package var source: Source
    /// The status of the current version: `completed`, `cancelled`, `entered-in-error` (or any
    /// FHIR status a central record holds). Only `completed` fills count.
    package var status: String
    /// When it was handed over (else when it was recorded).
    package var date: Date
    /// The dispensing software's id (local fills), to recognise a replay of the new fill.
    package var pharmacyDispenseId: String?
    package var din: String?
    /// ATC level-5 code, upper-case.
    package var substanceCode: String?
    package var quantity: Double?
    package var daysSupply: Int?
    package var prescriptionId: String?
    /// The pharmacy that made a central fill, where the central record says it.
    package var pharmacy: String?

    /// A fill with the given content.
    package init(id: String, source: Source, status: String, date: Date, pharmacyDispenseId: String? = nil,
                din: String? = nil, substanceCode: String? = nil, quantity: Double? = nil, daysSupply: Int? = nil,
                prescriptionId: String? = nil, pharmacy: String? = nil) {
        self.id = id
        self.source = source
        self.status = status
        self.date = date
        self.pharmacyDispenseId = pharmacyDispenseId
        self.din = din
        self.substanceCode = substanceCode
        self.quantity = quantity
        self.daysSupply = daysSupply
        self.prescriptionId = prescriptionId
        self.pharmacy = pharmacy
    }

    /// The share of the days' supply left at `when` (0 when used up, 1 when not yet started);
    /// nil without a days' supply.
    func remainingFraction(at when: Date) -> Double? {
        guard let left = secondsLeft(at: when), let daysSupply else { return nil }
        return left / (Double(daysSupply) * 86_400)
    }
}
