import Foundation
import PillboxModel
import Testing

/// `DispenseParser.dispense(from:now:)`: shape, required fields and unknown fields.
@Suite("Dispense parsing")
struct DispenseParserTests {
    let parser = DispenseParser()

    func parse(_ text: String, now: Date = JSONBodies.now) throws -> Result<Dispense, ValidationError> {
        parser.dispense(from: try JSONBodies.parse(text), now: now)
    }

    func errors(_ text: String) throws -> [FieldError] {
        try #require(try parse(text).failure).fields
    }

    @Test("A body with every field parses into exactly the dispense it describes")
    func fullBodyParses() throws {
        #expect(try parse(JSONBodies.full) == .success(JSONBodies.fullDispense))
    }

    @Test("A body with only the required fields leaves every optional field nil")
    func minimalBodyParses() throws {
        let expected = Dispense(pharmacyDispenseId: "PDI-0002", patient: .init(nam: "TREM50020312"),
                                medication: .init(din: "02242903", display: "Metformin"))
        #expect(try parse(JSONBodies.minimal) == .success(expected))
    }

    @Test("Null optional fields count as absent")
    func nullOptionalFieldsAreAbsent() throws {
        let text = """
            {"pharmacyDispenseId": "PDI-0002", "patient": {"nam": "TREM50020312", "familyName": null},
             "medication": {"din": "02242903", "display": "Metformin", "code": null},
             "quantity": null, "daysSupply": null, "note": null, "prescriber": null, "lot": null}
            """
        let expected = Dispense(pharmacyDispenseId: "PDI-0002", patient: .init(nam: "TREM50020312"),
                                medication: .init(din: "02242903", display: "Metformin"))
        #expect(try parse(text) == .success(expected))
    }

    @Test("Unknown fields are reported at the path of the object holding them, with a count, never by name")
    func unknownFieldsAreReportedByParentPath() throws {
        let text = """
            {"pharmacyDispenseId": "PDI-0002", "x": 1, "reason": "not here",
             "patient": {"nam": "TREM50020312", "y": "?"},
             "medication": {"din": "02242903", "display": "Metformin", "z": null},
             "quantity": {"value": 1, "w": true}, "prescriber": {"q": 1}, "pharmacist": {"license": "P", "r": []}}
            """
        let known = "daysSupply, dosageText, lot, medication, note, patient, pharmacist, pharmacyDispenseId, "
            + "prescriber, prescriptionId, quantity, whenHandedOver"
        #expect(try errors(text) == [
            FieldError(path: "$", message: "has 2 unknown fields (not named here); the known fields are: \(known)"),
            FieldError(path: "patient", message: "has an unknown field (not named here); the known fields are: "
                + "birthDate, familyName, givenName, nam"),
            FieldError(path: "medication", message: "has an unknown field (not named here); the known fields are: "
                + "code, codeSystem, din, display, form, strength, substanceCode"),
            FieldError(path: "quantity", message: "has an unknown field (not named here); the known fields are: unit, value"),
            FieldError(path: "prescriber", message: "has an unknown field (not named here); the known fields are: "
                + "familyName, givenName, license"),
            FieldError(path: "pharmacist", message: "has an unknown field (not named here); the known fields are: license"),
        ])
    }

    @Test("A NAM-shaped unknown key and its value appear nowhere in the errors")
    func namShapedUnknownKeyIsNotEchoed() throws {
        let text = """
            {"pharmacyDispenseId": "PDI-0003", "ZQXW98765432": "ZQXW 9876 5431",
             "patient": {"nam": "TREM50020312", "QWER12345678": "ABCD 1234 5678"},
             "medication": {"din": "02242903", "display": "Metformin"}}
            """
        let found = try errors(text)
        #expect(found.map(\.path) == ["$", "patient"])
        let rendered = found.map(\.description).joined(separator: "\n")
        for secret in ["ZQXW", "98765432", "9876", "QWER", "12345678", "ABCD 1234"] {
            #expect(!rendered.contains(secret), "\(secret) echoed in \(rendered)")
        }
    }

    @Test("A limit counts the string as sent: a NAM or lot padded with spaces past its limit is refused")
    func limitsCountSurroundingWhiteSpace() throws {
        let padded = String(repeating: " ", count: 21)
        let text = """
            {"pharmacyDispenseId": "PDI-0004", "patient": {"nam": "TREM50020312\(padded)"},
             "medication": {"din": "02242903", "display": "Metformin"}, "lot": "\(padded)L1\(String(repeating: " ", count: 42))"}
            """
        #expect(try errors(text) == [
            FieldError(path: "patient.nam", message: "must be at most 32 characters"),
            FieldError(path: "lot", message: "must be at most 64 characters"),
        ])
        let within = """
            {"pharmacyDispenseId": "PDI-0004", "patient": {"nam": " TREM 5002 0312 "},
             "medication": {"din": "02242903", "display": "Metformin"}, "lot": " L1 "}
            """
        let parsed = try parse(within).get()
        #expect(parsed.patient.nam == "TREM50020312")
        #expect(parsed.lot == "L1")
    }

    @Test("An empty object lists exactly the three missing required fields")
    func emptyBodyListsRequiredFields() throws {
        #expect(try errors("{}") == [
            FieldError(path: "pharmacyDispenseId", message: "is required"),
            FieldError(path: "patient", message: "is required"),
            FieldError(path: "medication", message: "is required"),
        ])
    }

    @Test("Empty patient and medication objects list their own required fields")
    func emptyNestedObjectsListRequiredFields() throws {
        #expect(try errors(#"{"pharmacyDispenseId": null, "patient": {}, "medication": {}}"#) == [
            FieldError(path: "pharmacyDispenseId", message: "is required"),
            FieldError(path: "patient.nam", message: "is required"),
            FieldError(path: "medication", message: "needs either din, or code with codeSystem"),
            FieldError(path: "medication.display", message: "is required"),
        ])
    }

    @Test("A body that is not an object is refused at the root")
    func nonObjectBodyIsRefused() throws {
        #expect(try errors("[]") == [FieldError(path: "$", message: "must be an object, not array")])
        #expect(try errors(#""text""#) == [FieldError(path: "$", message: "must be an object, not string")])
        #expect(try errors("null") == [FieldError(path: "$", message: "is required")])
    }

    @Test("Fields of the wrong JSON type name the type they got")
    func wrongTypesAreReported() throws {
        let text = """
            {"pharmacyDispenseId": 42, "patient": "TREM50020312",
             "medication": {"din": "02242903", "display": {}},
             "quantity": {"value": "60"}, "daysSupply": true, "prescriber": ["Gagnon"],
             "whenHandedOver": 1795186800, "note": []}
            """
        #expect(try errors(text) == [
            FieldError(path: "pharmacyDispenseId", message: "must be a string, not number"),
            FieldError(path: "patient", message: "must be an object, not string"),
            FieldError(path: "medication.display", message: "must be a string, not object"),
            FieldError(path: "quantity.value", message: "must be a number, not string"),
            FieldError(path: "daysSupply", message: "must be a number, not boolean"),
            FieldError(path: "prescriber", message: "must be an object, not array"),
            FieldError(path: "whenHandedOver", message: "must be a string, not number"),
            FieldError(path: "note", message: "must be a string, not array"),
        ])
    }
}
