import Foundation

/// A fill the checks compare the new one with: a local dispense (its current version) or a
/// dispense the central record holds (live or cached).
public struct CheckFill: Sendable, Equatable {
    /// Where the fill is known from.
    public enum Source: String, Sendable, Equatable, Codable {
        case local
        case central
    }

    /// Local: Pillbox's dispense id. Central: the resource id on the central record.
    public var id: String
    public var source: Source
    /// The status of the current version: `completed`, `cancelled`, `entered-in-error` (or any
    /// FHIR status a central record holds). Only `completed` fills count.
    public var status: String
    /// When it was handed over (else when it was recorded).
    public var date: Date
    /// The dispensing software's id (local fills), to recognise a replay of the new fill.
    public var pharmacyDispenseId: String?
    public var din: String?
    /// ATC level-5 code, upper-case.
    public var substanceCode: String?
    public var quantity: Double?
    public var daysSupply: Int?
    public var prescriptionId: String?
    /// The pharmacy that made a central fill, where the central record says it.
    public var pharmacy: String?

    /// A fill with the given content.
    public init(id: String, source: Source, status: String, date: Date, pharmacyDispenseId: String? = nil,
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
