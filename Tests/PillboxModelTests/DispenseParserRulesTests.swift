import Foundation
import PillboxModel
import Testing

/// Field rules of `DispenseParser`: ranges, identifiers, timestamps, text hygiene.
@Suite("Dispense field rules")
struct DispenseParserRulesTests {
    let parser = DispenseParser()

    /// The minimal body with `members` (JSON members, no braces) added at the top level.
    func body(patient: String = #"{"nam": "TREM50020312"}"#,
              medication: String = #"{"din": "02242903", "display": "Metformin"}"#,
              _ members: String = "") -> String {
        let extra = members.isEmpty ? "" : ", " + members
        return #"{"pharmacyDispenseId": "PDI-0002", "patient": \#(patient), "medication": \#(medication)\#(extra)}"#
    }

    func parse(_ text: String, now: Date = JSONBodies.now) throws -> Result<Dispense, ValidationError> {
        parser.dispense(from: try JSONBodies.parse(text), now: now)
    }

    func errors(_ text: String, now: Date = JSONBodies.now) throws -> [FieldError] {
        try #require(try parse(text, now: now).failure).fields
    }

    @Test("A quantity of zero or less is refused", arguments: ["0", "-1", "-0.5"])
    func nonPositiveQuantityIsRefused(value: String) throws {
        #expect(try errors(body(#""quantity": {"value": \#(value), "unit": "tablet"}"#))
            == [FieldError(path: "quantity.value", message: "must be greater than 0")])
    }

    @Test("A fractional quantity is kept, and a quantity needs its value")
    func quantityValueRules() throws {
        let dispense = try #require(try parse(body(#""quantity": {"value": 0.5}"#)).success)
        #expect(dispense.quantity == Dispense.Quantity(value: 0.5, unit: nil))
        #expect(try errors(body(#""quantity": {"unit": "tablet"}"#))
            == [FieldError(path: "quantity.value", message: "is required")])
    }

    @Test("Days of supply outside 1 to 365 are refused")
    func daysSupplyOutOfRangeIsRefused() throws {
        for value in ["0", "366", "-3"] {
            #expect(try errors(body(#""daysSupply": \#(value)"#))
                == [FieldError(path: "daysSupply", message: "must be between 1 and 365")])
        }
    }

    @Test("Fractional days of supply are refused as not whole")
    func fractionalDaysSupplyIsRefused() throws {
        #expect(try errors(body(#""daysSupply": 1.5"#)) == [FieldError(path: "daysSupply", message: "must be a whole number")])
        #expect(try errors(body(#""daysSupply": 1e12"#)) == [FieldError(path: "daysSupply", message: "must be a whole number")])
    }

    @Test("Days of supply of exactly 1 and 365 are accepted")
    func daysSupplyBoundsAreAccepted() throws {
        #expect(try parse(body(#""daysSupply": 1"#)).success?.daysSupply == 1)
        #expect(try parse(body(#""daysSupply": 365"#)).success?.daysSupply == 365)
        #expect(try parse(body(#""daysSupply": 30.0"#)).success?.daysSupply == 30)
    }

    @Test("A hand-over 23 hours or exactly 24 hours after now is accepted")
    func nearFutureHandOverIsAccepted() throws {
        // now is 2026-11-20T15:00:00Z.
        #expect(try parse(body(#""whenHandedOver": "2026-11-21T14:00:00Z""#)).success?.whenHandedOver
            == "2026-11-21T14:00:00Z")
        #expect(try parse(body(#""whenHandedOver": "2026-11-21T10:00:00-05:00""#)).success?.whenHandedOver
            == "2026-11-21T10:00:00-05:00")
        #expect(try parse(body(#""whenHandedOver": "2020-01-01T00:00:00Z""#)).success?.whenHandedOver
            == "2020-01-01T00:00:00Z")
    }

    @Test("A hand-over more than 24 hours after now is refused")
    func farFutureHandOverIsRefused() throws {
        let expected = [FieldError(path: "whenHandedOver", message: "must not be more than 24 hours in the future")]
        #expect(try errors(body(#""whenHandedOver": "2026-11-21T15:00:01Z""#)) == expected)
        #expect(try errors(body(#""whenHandedOver": "2026-11-21T10:00:01-05:00""#)) == expected)
        #expect(try errors(body(#""whenHandedOver": "2027-01-01T00:00:00Z""#)) == expected)
    }

    @Test("A hand-over time without offset is refused with an example of the format")
    func handOverWithoutOffsetIsRefused() throws {
        let expected = [FieldError(path: "whenHandedOver",
                                   message: "must be an RFC 3339 date-time with an offset, e.g. 2026-11-29T14:05:00-05:00")]
        #expect(try errors(body(#""whenHandedOver": "2026-11-20T10:00:00""#)) == expected)
        #expect(try errors(body(#""whenHandedOver": "2026-11-20""#)) == expected)
    }

    @Test("A medication needs a DIN or a code with its code system")
    func medicationNeedsAnIdentifier() throws {
        #expect(try errors(body(medication: #"{"display": "Compounded cream"}"#))
            == [FieldError(path: "medication", message: "needs either din, or code with codeSystem")])
        #expect(try errors(body(medication: #"{"code": "C-77", "display": "Compounded cream"}"#))
            == [FieldError(path: "medication.codeSystem", message: "is required with code")])
        #expect(try errors(body(medication: #"{"codeSystem": "urn:ramq:npn", "display": "Compounded cream"}"#))
            == [FieldError(path: "medication.code", message: "is required with codeSystem")])
    }

    @Test("A code with its code system stands in for a DIN")
    func codeWithSystemIsAccepted() throws {
        let dispense = try #require(try parse(body(
            medication: #"{"code": "C-77", "codeSystem": "urn:ramq:npn", "display": "Compounded cream"}"#)).success)
        #expect(dispense.medication == Dispense.Medication(code: "C-77", codeSystem: "urn:ramq:npn", display: "Compounded cream"))
    }

    @Test("A DIN that is not 8 digits is refused")
    func malformedDINIsRefused() throws {
        #expect(try errors(body(medication: #"{"din": "0224290A", "display": "Metformin"}"#))
            == [FieldError(path: "medication.din", message: "must be 8 digits")])
        #expect(try errors(body(medication: #"{"din": "0224290", "display": "Metformin"}"#))
            == [FieldError(path: "medication.din", message: "must be 8 digits")])
        #expect(try errors(body(medication: #"{"din": "0224 903", "display": "Metformin"}"#))
            == [FieldError(path: "medication.din", message: "must be 8 digits")])
    }

    @Test("A DIN that is too long is reported once, at medication.din")
    func overlongDINIsReportedOnce() throws {
        #expect(try errors(body(medication: #"{"din": "022429031", "display": "Metformin"}"#))
            == [FieldError(path: "medication.din", message: "must be 8 digits")])
    }

    @Test("A malformed NAM or birth date is refused at its path")
    func malformedPatientIdentifiersAreRefused() throws {
        #expect(try errors(body(patient: #"{"nam": "TRE123456789", "birthDate": "1950-02-30"}"#)) == [
            FieldError(path: "patient.nam", message: "must be 4 letters followed by 8 digits"),
            FieldError(path: "patient.birthDate", message: "must be a date as YYYY-MM-DD"),
        ])
        #expect(try errors(body(patient: #"{"nam": "TREM50020312", "birthDate": "1950-2-3"}"#))
            == [FieldError(path: "patient.birthDate", message: "must be a date as YYYY-MM-DD")])
    }

    @Test("Surrounding white space is trimmed from every string")
    func whitespaceIsTrimmed() throws {
        let text = #"""
            {"pharmacyDispenseId": "  PDI-0003\t", "patient": {"nam": " trem 5002 0312\n", "familyName": "  Tremblay "},
             "medication": {"din": " 02242903 ", "display": "\n Metformin \t"}, "lot": " L9 ",
             "whenHandedOver": " 2026-11-20T10:00:00-05:00 ", "note": "  two\nlines\tend  "}
            """#
        let expected = Dispense(
            pharmacyDispenseId: "PDI-0003", patient: .init(nam: "TREM50020312", familyName: "Tremblay"),
            medication: .init(din: "02242903", display: "Metformin"), lot: "L9",
            whenHandedOver: "2026-11-20T10:00:00-05:00", note: "two\nlines\tend")
        #expect(try parse(text) == .success(expected))
    }

    @Test("A blank required string is refused; a blank optional one counts as absent")
    func blankStrings() throws {
        #expect(try errors(#"{"pharmacyDispenseId": "   ", "patient": {"nam": "TREM50020312"}, "medication": {"din": "02242903", "display": "\t"}}"#) == [
            FieldError(path: "pharmacyDispenseId", message: "must not be empty"),
            FieldError(path: "medication.display", message: "must not be empty"),
        ])
        let dispense = try #require(try parse(body(#""note": "   ", "lot": """#)).success)
        #expect(dispense.note == nil)
        #expect(dispense.lot == nil)
    }

    @Test("Control characters other than newline and tab are refused")
    func controlCharactersAreRefused() throws {
        let text = #"""
            {"pharmacyDispenseId": "PDI\u0000X", "patient": {"nam": "TREM50020312", "familyName": "Trem\u001bblay"},
             "medication": {"din": "02242903", "display": "Metformin"}, "note": "a\rb", "lot": "L\u007f1"}
            """#
        #expect(try errors(text) == [
            FieldError(path: "pharmacyDispenseId", message: "must not contain control characters"),
            FieldError(path: "patient.familyName", message: "must not contain control characters"),
            FieldError(path: "lot", message: "must not contain control characters"),
            FieldError(path: "note", message: "must not contain control characters"),
        ])
    }

    @Test("Every failing field is reported, not only the first")
    func allFailuresAreReported() throws {
        let text = #"""
            {"pharmacyDispenseId": "PDI-0002", "patient": {"nam": "bad"}, "medication": {"display": "Metformin"},
             "quantity": {"value": 0}, "daysSupply": 400, "whenHandedOver": "soon"}
            """#
        #expect(try errors(text) == [
            FieldError(path: "patient.nam", message: "must be 4 letters followed by 8 digits"),
            FieldError(path: "medication", message: "needs either din, or code with codeSystem"),
            FieldError(path: "quantity.value", message: "must be greater than 0"),
            FieldError(path: "daysSupply", message: "must be between 1 and 365"),
            FieldError(path: "whenHandedOver",
                       message: "must be an RFC 3339 date-time with an offset, e.g. 2026-11-29T14:05:00-05:00"),
        ])
    }
}
