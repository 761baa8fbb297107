/// The part of a version's sealed content (`SealedContent`) the dispensing checks read: the
/// fields they compare, plus those a `Dispense` cannot be without (so that a payload that
/// would not decode as a `Dispense` does not decode here either). Decoding skips the rest
/// (names, prescriber, dosage, note, reason).
struct SealedCheckContent: Decodable, Sendable, Equatable {
    struct Content: Decodable, Sendable, Equatable {
        struct Patient: Decodable, Sendable, Equatable {
            var nam: String
        }

        struct Medication: Decodable, Sendable, Equatable {
            var din: String?
            var display: String
            var substanceCode: String?
        }

        struct Quantity: Decodable, Sendable, Equatable {
            var value: Double
        }

        var pharmacyDispenseId: String
        var patient: Patient
        var medication: Medication
        var quantity: Quantity?
        var daysSupply: Int?
        var prescriptionId: String?
        var whenHandedOver: String?
    }

    var dispense: Content
}
