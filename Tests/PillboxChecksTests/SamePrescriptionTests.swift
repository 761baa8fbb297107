import Foundation
import PillboxChecks
import PillboxModel
import Testing

@Suite("Same prescription filled elsewhere: a central fill of the same prescriptionId within its days' supply")
struct SamePrescriptionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var rx: String? = "RX-77"
        var fills: [CheckFill]
        var remainingPercent: Double = 0
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "filled elsewhere 10 days ago with a 30-day supply",
             fills: [Fixtures.fill("c", .central, on: -10, din: "00000003", rx: "RX-77", pharmacy: "0099")], expected: ["c"]),
        Case(name: "filled elsewhere exactly when its supply ran out: not within",
             fills: [Fixtures.fill("c", .central, on: -30, rx: "RX-77")], expected: []),
        Case(name: "filled elsewhere one minute before its supply runs out: within",
             fills: [Fixtures.fill("c", .central, on: -30 + 60.0 / 86_400, rx: "RX-77")], expected: ["c"]),
        Case(name: "after its days' supply: not flagged",
             fills: [Fixtures.fill("c", .central, on: -45, rx: "RX-77")], expected: []),
        Case(name: "the threshold comes from the settings (50 %: 40 % left is not flagged)",
             fills: [Fixtures.fill("c", .central, on: -18, din: "00000003", rx: "RX-77")], remainingPercent: 50, expected: []),
        Case(name: "another prescription", fills: [Fixtures.fill("c", .central, on: -10, rx: "RX-78")], expected: []),
        Case(name: "a local fill of the same prescription is not 'elsewhere'",
             fills: [Fixtures.fill("a", on: -10, din: "00000003", rx: "RX-77")], expected: []),
        Case(name: "a cancelled central fill does not count",
             fills: [Fixtures.fill("c", .central, status: "cancelled", on: -10, rx: "RX-77")], expected: []),
        Case(name: "an entered-in-error central fill does not count",
             fills: [Fixtures.fill("c", .central, status: "entered-in-error", on: -10, rx: "RX-77")], expected: []),
        Case(name: "a central fill without days' supply cannot be judged",
             fills: [Fixtures.fill("c", .central, on: -10, days: nil, rx: "RX-77")], expected: []),
        Case(name: "no prescription id on the new fill: skipped", rx: nil,
             fills: [Fixtures.fill("c", .central, on: -10, rx: "RX-77")], expected: []),
    ]

    @Test("same prescription table", arguments: cases)
    func table(_ test: Case) {
        var settings = CheckSettings()
        settings.samePrescriptionRemainingPercent = test.remainingPercent
        let input = Fixtures.input(Fixtures.dispense(prescriptionId: test.rx),
                                   local: test.fills.filter { $0.source == .local },
                                   central: test.fills.filter { $0.source == .central }, settings: settings)
        let outcome = Checks.run(input)
        #expect(outcome.findings.filter { $0.kind == .samePrescriptionElsewhere }.flatMap { $0.fills.map(\.id) } == test.expected)
        #expect(outcome.skipped.contains(SkippedCheck(type: .samePrescriptionElsewhere, reason: .noPrescriptionId))
            == (test.rx == nil))
    }
}
