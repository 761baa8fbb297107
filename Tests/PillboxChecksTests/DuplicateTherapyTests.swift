import Foundation
import PillboxChecks
import PillboxModel
import Testing

@Suite("Duplicate therapy: another DIN with the same ATC substance, overlapping in time")
struct DuplicateTherapyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var newSubstance: String? = "C09AA05"
        var newDays: Int? = 30
        var fills: [CheckFill]
        var overlapDays: Double = 0
        var expected: [String]
        var testDescription: String { name }
    }

    static let other = "00000002"
    static let cases: [Case] = [
        Case(name: "same substance, other DIN, supply still running",
             fills: [Fixtures.fill("a", on: -10, din: other, substance: "C09AA05")], expected: ["a"]),
        Case(name: "lower-case substance codes compare equal",
             newSubstance: "c09aa05", fills: [Fixtures.fill("a", on: -10, din: other, substance: "C09AA05")], expected: ["a"]),
        Case(name: "same substance, supply used up exactly at the new fill: no overlap",
             fills: [Fixtures.fill("a", on: -30, din: other, substance: "C09AA05")], expected: []),
        Case(name: "same substance, one minute of supply left: overlap",
             fills: [Fixtures.fill("a", on: -30 + 60.0 / 86_400, din: other, substance: "C09AA05")], expected: ["a"]),
        Case(name: "one minute left is not more than the configured 1 day",
             fills: [Fixtures.fill("a", on: -30 + 60.0 / 86_400, din: other, substance: "C09AA05")], overlapDays: 1,
             expected: []),
        Case(name: "a different substance is not a duplicate",
             fills: [Fixtures.fill("a", on: -10, din: other, substance: "C09AA02")], expected: []),
        Case(name: "the same DIN is an early refill, not a duplicate therapy",
             fills: [Fixtures.fill("a", on: -10, substance: "C09AA05")], expected: []),
        Case(name: "the other fill has no substance code: nothing can be said",
             fills: [Fixtures.fill("a", on: -10, din: other, substance: nil)], expected: []),
        Case(name: "the new fill has no substance code: skipped",
             newSubstance: nil, fills: [Fixtures.fill("a", on: -10, din: other, substance: "C09AA05")], expected: []),
        Case(name: "a cancelled fill does not count",
             fills: [Fixtures.fill("a", status: "cancelled", on: -10, din: other, substance: "C09AA05")], expected: []),
        Case(name: "a central fill counts",
             fills: [Fixtures.fill("c", .central, on: -10, din: other, substance: "C09AA05")], expected: ["c"]),
        Case(name: "a later fill inside the new fill's supply overlaps",
             fills: [Fixtures.fill("a", on: 5, din: other, substance: "C09AA05")], expected: ["a"]),
        Case(name: "a later fill when the new fill has no days' supply cannot be judged",
             newDays: nil, fills: [Fixtures.fill("a", on: 5, din: other, substance: "C09AA05")], expected: []),
    ]

    @Test("duplicate therapy table", arguments: cases)
    func table(_ test: Case) {
        var settings = CheckSettings()
        settings.duplicateTherapyOverlapDays = test.overlapDays
        let dispense = Fixtures.dispense(substance: test.newSubstance, daysSupply: test.newDays)
        let local = test.fills.filter { $0.source == .local }
        let central = test.fills.filter { $0.source == .central }
        let outcome = Checks.run(Fixtures.input(dispense, local: local, central: central, settings: settings))
        let findings = outcome.findings.filter { $0.kind == .duplicateTherapy }
        #expect(findings.flatMap { $0.fills.map(\.id) } == test.expected)
        #expect(outcome.skipped.contains(SkippedCheck(type: .duplicateTherapy, reason: .noSubstanceCode))
            == (test.newSubstance == nil))
    }

    @Test("the message names no product, only counts and shares")
    func message() throws {
        let outcome = Checks.run(Fixtures.input(Fixtures.dispense(substance: "C09AA05"),
                                                local: [Fixtures.fill("a", on: -15, din: Self.other, substance: "C09AA05")]))
        let finding = try #require(outcome.findings.first { $0.kind == .duplicateTherapy })
        #expect(finding.message(.en) == "Duplicate therapy: 1 fill of another product with the same active substance overlaps this one (up to 50 % of the days' supply left).")
        #expect(finding.message(.fr) == "Duplication thérapeutique : 1 service d'un autre produit de même substance active chevauche celui-ci (jusqu'à 50 % de la durée de traitement restante).")
    }
}
