import Foundation
import PillboxModel
import Testing

/// Corrections and cancellations.
@Suite("Correction and cancellation parsing")
struct ChangeParserTests {
    let parser = DispenseParser()

    @Test("A correction is the full dispense plus a reason")
    func correctionParses() throws {
        let body = try JSONBodies.parse("{\(JSONBodies.fullMembers), \"reason\": \"  Wrong quantity  \"}")
        let correction = try #require(parser.correction(from: body, now: JSONBodies.now).success)
        #expect(correction.dispense == JSONBodies.fullDispense)
        #expect(correction.reason == "Wrong quantity")
    }

    @Test("A correction without a reason is refused")
    func correctionRequiresReason() throws {
        let body = try JSONBodies.parse(JSONBodies.full)
        #expect(parser.correction(from: body, now: JSONBodies.now).failure
            == ValidationError([FieldError(path: "reason", message: "is required")]))
        let blank = try JSONBodies.parse("{\(JSONBodies.fullMembers), \"reason\": \" \"}")
        #expect(parser.correction(from: blank, now: JSONBodies.now).failure
            == ValidationError([FieldError(path: "reason", message: "must not be empty")]))
    }

    @Test("A correction reports the dispense's errors and the missing reason together")
    func correctionReportsAllErrors() throws {
        let body = try JSONBodies.parse(#"{"pharmacyDispenseId": "P", "patient": {"nam": "TREM50020312"}, "medication": {"display": "M"}, "extra": 1}"#)
        #expect(parser.correction(from: body, now: JSONBodies.now).failure?.fields == [
            FieldError(path: "$", message: "has an unknown field (not named here); the known fields are: daysSupply, "
                + "dosageText, lot, medication, note, patient, pharmacist, pharmacyDispenseId, prescriber, prescriptionId, "
                + "quantity, reason, whenHandedOver"),
            FieldError(path: "medication", message: "needs either din, or code with codeSystem"),
            FieldError(path: "reason", message: "is required"),
        ])
    }

    @Test("A correction body that is not an object is refused at the root only")
    func correctionOfNonObject() throws {
        #expect(parser.correction(from: try JSONBodies.parse("[1]"), now: JSONBodies.now).failure?.fields
            == [FieldError(path: "$", message: "must be an object, not array")])
    }

    @Test("A cancellation takes the status cancelled or entered-in-error, with a reason")
    func cancellationParses() throws {
        let cancelled = parser.cancellation(from: try JSONBodies.parse(#"{"reason": " Returned unopened ", "status": "cancelled"}"#))
        #expect(cancelled.success?.status == .cancelled)
        #expect(cancelled.success?.reason == "Returned unopened")
        let inError = parser.cancellation(from: try JSONBodies.parse(#"{"reason": "Wrong patient", "status": "entered-in-error"}"#))
        #expect(inError.success?.status == .enteredInError)
        #expect(inError.success?.reason == "Wrong patient")
    }

    @Test("A cancellation to completed or any other status is refused",
          arguments: ["completed", "Cancelled", "entered_in_error", "stopped"])
    func cancellationToOtherStatusIsRefused(status: String) throws {
        let body = try JSONBodies.parse(#"{"reason": "r", "status": "\#(status)"}"#)
        #expect(parser.cancellation(from: body).failure?.fields
            == [FieldError(path: "status", message: #"must be "cancelled" or "entered-in-error""#)])
    }

    @Test("A cancellation without reason or status, or with unknown fields, is refused")
    func incompleteCancellationIsRefused() throws {
        #expect(parser.cancellation(from: try JSONBodies.parse("{}")).failure?.fields == [
            FieldError(path: "reason", message: "is required"),
            FieldError(path: "status", message: "is required"),
        ])
        #expect(parser.cancellation(from: try JSONBodies.parse(#"{"reason": "r", "status": "cancelled", "by": "me"}"#)).failure?.fields
            == [FieldError(path: "$", message: "has an unknown field (not named here); the known fields are: reason, status")])
        #expect(parser.cancellation(from: try JSONBodies.parse(#"{"reason": 3, "status": "cancelled"}"#)).failure?.fields
            == [FieldError(path: "reason", message: "must be a string, not number")])
        #expect(parser.cancellation(from: try JSONBodies.parse(#""cancel""#)).failure?.fields
            == [FieldError(path: "$", message: "must be an object, not string")])
    }
}
