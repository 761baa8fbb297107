import Foundation
import PillboxModel

/// Request bodies for parser tests, built from JSON text so that tests see exactly what a
/// client would send.
enum JSONBodies {
    /// Decodes `text` as a `JSONValue`.
    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// A complete dispense with every field set, as JSON members (no braces), so tests can
    /// append or replace members.
    static let fullMembers = """
        "pharmacyDispenseId": "PDI-0001",
        "patient": {"nam": "trem 5002 0312", "familyName": "Tremblay", "givenName": "Marie", "birthDate": "1950-02-03"},
        "medication": {"din": "02242903", "display": "Metformin 500 mg tablet", "strength": "500 mg", "form": "tablet"},
        "quantity": {"value": 60, "unit": "tablet"},
        "daysSupply": 30,
        "dosageText": "1 tablet twice daily with meals",
        "prescriber": {"license": "1234567", "familyName": "Gagnon", "givenName": "Luc"},
        "pharmacist": {"license": "PH-998"},
        "prescriptionId": "RX-0001",
        "lot": "L123",
        "whenHandedOver": "2026-11-20T10:00:00-05:00",
        "note": "Counselled on side effects"
        """

    /// `fullMembers` wrapped in braces.
    static var full: String { "{\(fullMembers)}" }

    /// The `Dispense` that `full` describes once parsed.
    static let fullDispense = Dispense(
        pharmacyDispenseId: "PDI-0001",
        patient: .init(nam: "TREM50020312", familyName: "Tremblay", givenName: "Marie", birthDate: "1950-02-03"),
        medication: .init(din: "02242903", display: "Metformin 500 mg tablet", strength: "500 mg", form: "tablet"),
        quantity: .init(value: 60, unit: "tablet"),
        daysSupply: 30,
        dosageText: "1 tablet twice daily with meals",
        prescriber: .init(license: "1234567", familyName: "Gagnon", givenName: "Luc"),
        pharmacist: .init(license: "PH-998"),
        prescriptionId: "RX-0001",
        lot: "L123",
        whenHandedOver: "2026-11-20T10:00:00-05:00",
        note: "Counselled on side effects")

    /// The smallest valid body: the three required fields.
    static let minimal = """
        {"pharmacyDispenseId": "PDI-0002", "patient": {"nam": "TREM50020312"},
         "medication": {"din": "02242903", "display": "Metformin"}}
        """

    /// A fixed "now" for parsing: 2026-11-20T15:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_795_186_800)
}

extension Result {
    /// The failure, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    /// The success value, or nil on failure.
    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
