import Foundation
import PillboxModel
import Testing

@Suite("medication.substanceCode: an optional ATC level-5 code")
struct SubstanceCodeParserTests {
    func parse(_ code: String) throws -> Result<Dispense, ValidationError> {
        let text = #"{"pharmacyDispenseId": "P-1", "patient": {"nam": "TREM50020312"}, "#
            + #""medication": {"din": "02242903", "display": "Metformin", "substanceCode": \#(code)}}"#
        return DispenseParser().dispense(from: try JSONBodies.parse(text), now: JSONBodies.now)
    }

    @Test("A level-5 code is kept upper-case", arguments: [(#""A10BA02""#, "A10BA02"), (#""a10ba02""#, "A10BA02")])
    func accepted(code: String, expected: String) throws {
        #expect(try parse(code).get().medication.substanceCode == expected)
    }

    @Test("Anything else is refused without echoing the value", arguments: [
        #""A10BA""#, #""A10BA021""#, #""110BA02""#, #""A1XBA02""#, #""A10B102""#, #""A10BÄ02""#, #""a10bı02""#, "7",
        #""AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA""#,
    ])
    func refused(code: String) throws {
        let errors = try #require(try parse(code).failure).fields
        #expect(errors.count == 1)
        #expect(errors.first?.path == "medication.substanceCode")
    }

    @Test("Absent means none; the stored dispense round-trips through its JSON")
    func absent() throws {
        let text = #"{"pharmacyDispenseId": "P-1", "patient": {"nam": "TREM50020312"}, "medication": {"din": "02242903", "display": "M"}}"#
        let dispense = try DispenseParser().dispense(from: try JSONBodies.parse(text), now: JSONBodies.now).get()
        #expect(dispense.medication.substanceCode == nil)
        var coded = dispense
        coded.medication.substanceCode = "A10BA02"
        #expect(try JSONDecoder().decode(Dispense.self, from: JSONEncoder().encode(coded)) == coded)
    }
}
