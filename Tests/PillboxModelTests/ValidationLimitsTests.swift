import Foundation
import PillboxModel
import Testing

/// Length limits: configurable short and long text, fixed limits on identifiers.
@Suite("Validation limits")
struct ValidationLimitsTests {
    let parser = DispenseParser(limits: ValidationLimits(maxShortText: 5, maxLongText: 10))

    func parse(_ text: String) throws -> Result<Dispense, ValidationError> {
        parser.dispense(from: try JSONBodies.parse(text), now: JSONBodies.now)
    }

    @Test("The defaults are 200 and 2000 characters and 24 hours")
    func defaults() {
        #expect(ValidationLimits.standard == ValidationLimits(maxShortText: 200, maxLongText: 2000, maxFutureSeconds: 86_400))
        #expect(DispenseParser().limits == .standard)
    }

    @Test("Text exactly at each limit is accepted, counted in characters rather than bytes")
    func textAtTheLimitIsAccepted() throws {
        let id = String(repeating: "P", count: 64)
        let text = #"""
            {"pharmacyDispenseId": "\#(id)", "patient": {"nam": "TREM50020312", "familyName": "Ééééé", "givenName": "Marie"},
             "medication": {"din": "02242903", "display": "Metformin!", "form": "tab"},
             "quantity": {"value": 1, "unit": "units"}, "dosageText": "0123456789", "note": "éééééééééé",
             "prescriber": {"license": "12345"}, "pharmacist": {"license": "PH-99"}, "prescriptionId": "\#(id)", "lot": "\#(id)"}
            """#
        let expected = Dispense(
            pharmacyDispenseId: id, patient: .init(nam: "TREM50020312", familyName: "Ééééé", givenName: "Marie"),
            medication: .init(din: "02242903", display: "Metformin!", form: "tab"),
            quantity: .init(value: 1, unit: "units"), dosageText: "0123456789",
            prescriber: .init(license: "12345"), pharmacist: .init(license: "PH-99"),
            prescriptionId: id, lot: id, note: "éééééééééé")
        #expect(try parse(text) == .success(expected))
    }

    @Test("Text one character over its limit is refused with the limit in the message")
    func textOverTheLimitIsRefused() throws {
        let id = String(repeating: "P", count: 65)
        let text = #"""
            {"pharmacyDispenseId": "\#(id)", "patient": {"nam": "TREM50020312", "familyName": "Tremb", "givenName": "Marie!"},
             "medication": {"din": "02242903", "display": "Metformin 5", "strength": "500 mg"},
             "quantity": {"value": 1, "unit": "tablet"}, "dosageText": "0123456789A", "note": "ééééééééééé",
             "prescriber": {"familyName": "Gagnon"}, "pharmacist": {"license": "PH-998"},
             "prescriptionId": "\#(id)", "lot": "\#(id)"}
            """#
        #expect(try #require(try parse(text).failure).fields == [
            FieldError(path: "pharmacyDispenseId", message: "must be at most 64 characters"),
            FieldError(path: "patient.givenName", message: "must be at most 5 characters"),
            FieldError(path: "medication.display", message: "must be at most 10 characters"),
            FieldError(path: "medication.strength", message: "must be at most 5 characters"),
            FieldError(path: "quantity.unit", message: "must be at most 5 characters"),
            FieldError(path: "prescriber.familyName", message: "must be at most 5 characters"),
            FieldError(path: "pharmacist.license", message: "must be at most 5 characters"),
            FieldError(path: "dosageText", message: "must be at most 10 characters"),
            FieldError(path: "prescriptionId", message: "must be at most 64 characters"),
            FieldError(path: "lot", message: "must be at most 64 characters"),
            FieldError(path: "note", message: "must be at most 10 characters"),
        ])
    }

    @Test("The length limit counts the string as sent, surrounding white space included (as OpenAPI maxLength does); the value is then trimmed")
    func limitCountsTheStringAsSent() throws {
        let padded = #"{"pharmacyDispenseId": "P", "patient": {"nam": "TREM50020312", "familyName": "   Tremb   "}, "medication": {"din": "02242903", "display": "M"}}"#
        #expect(try parse(padded).failure?.fields == [FieldError(path: "patient.familyName", message: "must be at most 5 characters")])
        let fits = #"{"pharmacyDispenseId": "P", "patient": {"nam": "TREM50020312", "familyName": " Tre "}, "medication": {"din": "02242903", "display": "M"}}"#
        #expect(try parse(fits).success?.patient.familyName == "Tre")
    }

    @Test("A shorter future window changes what is refused and what the message says")
    func futureWindowIsConfigurable() throws {
        let strict = DispenseParser(limits: ValidationLimits(maxFutureSeconds: 2 * 3600))
        let late = try JSONBodies.parse(#"{"pharmacyDispenseId": "P", "patient": {"nam": "TREM50020312"}, "medication": {"din": "02242903", "display": "M"}, "whenHandedOver": "2026-11-20T17:00:01Z"}"#)
        #expect(strict.dispense(from: late, now: JSONBodies.now).failure?.fields
            == [FieldError(path: "whenHandedOver", message: "must not be more than 2 hours in the future")])
        #expect(DispenseParser().dispense(from: late, now: JSONBodies.now).success?.whenHandedOver == "2026-11-20T17:00:01Z")
    }
}
