import Foundation
import PillboxChecks
import PillboxModel

/// Dates and fills for the check tables: day 0 is 2026-11-01T12:00:00Z.
enum Fixtures {
    static let day0 = Date(timeIntervalSince1970: 1_793_534_400)

    static func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }

    /// A new fill of `din` handed over on `day`.
    static func dispense(din: String? = "02242903", substance: String? = nil, daysSupply: Int? = 30,
                         prescriptionId: String? = nil, on day: Double = 0, id: String = "NEW-1") -> Dispense {
        Dispense(pharmacyDispenseId: id, patient: .init(nam: "TREM50020312"),
                 medication: .init(din: din, display: "Product", substanceCode: substance),
                 quantity: .init(value: 30), daysSupply: daysSupply, prescriptionId: prescriptionId,
                 whenHandedOver: Timestamps.format(Self.day(day)))
    }

    static func fill(_ id: String, _ source: CheckFill.Source = .local, status: String = "completed", on day: Double,
                     din: String? = "02242903", substance: String? = nil, days: Int? = 30, rx: String? = nil,
                     pharmacyDispenseId: String? = nil, pharmacy: String? = nil) -> CheckFill {
        CheckFill(id: id, source: source, status: status, date: Self.day(day),
                  pharmacyDispenseId: pharmacyDispenseId ?? (source == .local ? "PD-\(id)" : nil),
                  din: din, substanceCode: substance, quantity: 30, daysSupply: days, prescriptionId: rx, pharmacy: pharmacy)
    }

    static let cachedAnHourAgo = CentralKnowledge(configured: true, answered: false, asOf: day(-1.0 / 24), knownUnreachable: true)

    static func input(_ dispense: Dispense, local: [CheckFill] = [], central: [CheckFill] = [],
                      knowledge: CentralKnowledge = .notConfigured, ownID: String? = nil, corrects: String? = nil,
                      settings: CheckSettings = CheckSettings(), now: Date = day(0)) -> CheckInput {
        CheckInput(dispense: dispense, ownID: ownID, corrects: corrects, localFills: local, centralFills: central,
                   central: knowledge, settings: settings, now: now)
    }
}
