import Foundation
import PillboxModel

/// What the dispensing checks read of one local fill (its current version): a few fields of
/// the sealed content, the version's status and the fill's date, without the rest of the
/// `Dispense` (`Store.checkFills(nam:since:limit:)`).
package struct CheckFillFacts: Sendable, Equatable {
    /// Pillbox's id for the dispense.
    package var id: String
    /// The current version's status.
    package var status: DispenseStatus
    /// When it was handed over, else when its current version was recorded: what a full
    /// record's `whenHandedOver` (else `recordedAt`) parses to.
    package var date: Date
    package var pharmacyDispenseId: String
    package var din: String?
    package var substanceCode: String?
    package var quantity: Double?
    package var daysSupply: Int?
    package var prescriptionId: String?

    /// Facts with the given content.
    package init(id: String, status: DispenseStatus, date: Date, pharmacyDispenseId: String, din: String? = nil,
                substanceCode: String? = nil, quantity: Double? = nil, daysSupply: Int? = nil, prescriptionId: String? = nil) {
        self.id = id
        self.status = status
        self.date = date
        self.pharmacyDispenseId = pharmacyDispenseId
        self.din = din
        self.substanceCode = substanceCode
        self.quantity = quantity
        self.daysSupply = daysSupply
        self.prescriptionId = prescriptionId
    }
}
