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

    @Test("Unknown fields are each reported at their path, top level and nested")
    func unknownFieldsAreReportedByPath() throws {
        let text = """
            {"pharmacyDispenseId": "PDI-0002", "x": 1, "reason": "not here",
             "patient": {"nam": "TREM50020312", "y": "?"},
             "medication": {"din": "02242903", "display": "Metformin", "z": null},
             "quantity": {"value": 1, "w": true}, "prescriber": {"q": 1}, "pharmacist": {"license": "P", "r": []}}
            """
        #expect(try errors(text) == [
            FieldError(path: "reason", message: "is not a known field"),
            FieldError(path: "x", message: "is not a known field"),
            FieldError(path: "patient.y", message: "is not a known field"),
            FieldError(path: "medication.z", message: "is not a known field"),
            FieldError(path: "quantity.w", message: "is not a known field"),
            FieldError(path: "prescriber.q", message: "is not a known field"),
            FieldError(path: "pharmacist.r", message: "is not a known field"),
        ])
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
