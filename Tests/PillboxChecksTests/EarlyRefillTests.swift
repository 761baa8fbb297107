import Foundation
import PillboxChecks
import PillboxModel
import Testing

@Suite("Early refill: same DIN, more than 25 % of the earlier fill's days' supply left")
struct EarlyRefillTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var local: [CheckFill] = []
        var central: [CheckFill] = []
        var newDay: Double = 0
        var ownID: String? = nil
        var corrects: String? = nil
        /// Ids of the fills the finding is about; empty means no finding.
        var expected: [String]
        var testDescription: String { name }
    }

    // A 40-day supply: 25 % left after exactly 30 days.
    static let cases: [Case] = [
        Case(name: "exactly 25 % left is not early", local: [Fixtures.fill("a", on: -30, days: 40)], expected: []),
        Case(name: "just above 25 % left (one minute earlier) is early",
             local: [Fixtures.fill("a", on: -30 + 60.0 / 86_400, days: 40)], expected: ["a"]),
        Case(name: "just below 25 % left (one minute later) is not early",
             local: [Fixtures.fill("a", on: -30 - 60.0 / 86_400, days: 40)], expected: []),
        Case(name: "same day refill is early", local: [Fixtures.fill("a", on: 0, days: 30)], expected: ["a"]),
        Case(name: "a different DIN is not an early refill", local: [Fixtures.fill("a", on: -1, din: "00000001")], expected: []),
        Case(name: "a cancelled fill does not count", local: [Fixtures.fill("a", status: "cancelled", on: -1)], expected: []),
        Case(name: "an entered-in-error fill does not count",
             local: [Fixtures.fill("a", status: "entered-in-error", on: -1)], expected: []),
        Case(name: "a corrected fill counts as its current version says (corrected to 10 days: used up)",
             local: [Fixtures.fill("a", on: -12, days: 10)], expected: []),
        Case(name: "a correction's own check ignores the dispense it corrects",
             local: [Fixtures.fill("a", on: -1)], ownID: "a", corrects: "a", expected: []),
        Case(name: "a replay of the new fill (same pharmacyDispenseId) is not compared with itself",
             local: [Fixtures.fill("a", on: 0, pharmacyDispenseId: "NEW-1")], expected: []),
        Case(name: "a central-only fill counts", central: [Fixtures.fill("c", .central, on: -5, pharmacy: "0099")],
             expected: ["c"]),
        Case(name: "a cancelled central fill does not count",
             central: [Fixtures.fill("c", .central, status: "cancelled", on: -5)], expected: []),
        Case(name: "a fill without days' supply cannot be judged", local: [Fixtures.fill("a", on: -1, days: nil)], expected: []),
        Case(name: "a fill dated after the new one is not an earlier fill", local: [Fixtures.fill("a", on: 2)], expected: []),
        Case(name: "local and central fills both listed, newest first",
             local: [Fixtures.fill("a", on: -10)], central: [Fixtures.fill("c", .central, on: -3)], expected: ["c", "a"]),
    ]

    @Test("early refill table", arguments: cases)
    func table(_ test: Case) {
        let input = Fixtures.input(Fixtures.dispense(on: test.newDay), local: test.local, central: test.central,
                                   ownID: test.ownID, corrects: test.corrects)
        let findings = Checks.run(input).findings.filter { $0.kind == .earlyRefill }
        #expect(findings.flatMap { $0.fills.map(\.id) } == test.expected)
        #expect(findings.count == (test.expected.isEmpty ? 0 : 1))
    }

    @Test("the threshold comes from the settings: 50 % makes a fill with 40 % left acceptable")
    func threshold() {
        var settings = CheckSettings()
        let fill = Fixtures.fill("a", on: -18, days: 30)  // 40 % left
        #expect(Checks.run(Fixtures.input(Fixtures.dispense(), local: [fill], settings: settings)).findings.count == 1)
        settings.earlyRefillRemainingPercent = 50
        #expect(Checks.run(Fixtures.input(Fixtures.dispense(), local: [fill], settings: settings)).findings.isEmpty)
    }

    @Test("the finding says how much is left, in English and in French, without patient data")
    func message() throws {
        let outcome = Checks.run(Fixtures.input(Fixtures.dispense(), local: [Fixtures.fill("a", on: -18, days: 30)]))
        let finding = try #require(outcome.findings.first)
        #expect(finding.severity == .warning)
        #expect(finding.message(.en) == "Early refill: 1 earlier fill of this DIN still has up to 40 % of the days' supply left.")
        #expect(finding.message(.fr) == "Renouvellement hâtif : 1 service antérieur de ce DIN a encore jusqu'à 40 % de la durée de traitement.")
    }

    @Test("a new fill without a DIN says the early-refill check was skipped")
    func skipped() {
        let outcome = Checks.run(Fixtures.input(Fixtures.dispense(din: nil), local: [Fixtures.fill("a", on: -1, din: nil)]))
        #expect(outcome.findings.isEmpty)
        #expect(outcome.skipped.contains(SkippedCheck(type: .earlyRefill, reason: .noDIN)))
    }
}
