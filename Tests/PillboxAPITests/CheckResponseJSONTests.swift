import Foundation
import PillboxChecks
import PillboxModel
import PillboxTestSupport
import PillboxWire
import Testing

/// `CheckResponse.jsonBytes` writes what `JSONCoding.encoder` writes for the same answer, so
/// the checks' answer and an intake's 201 keep their bytes.
@Suite("The checks' answer written without the encoder")
struct CheckResponseJSONTests {
    @Test("An intake's usual answer: the exact text")
    func usualAnswer() {
        let response = CheckResponse(findings: [], coverage: Coverage(central: .none, reason: .notConfigured),
                                     skippedChecks: [SkippedCheck(type: .samePrescriptionElsewhere, reason: .noPrescriptionId)])
        let expected = #"{"coverage":{"central":"none","reason":"not-configured","unreadableLocalFills":0},"findings":[],"#
            + #""skippedChecks":[{"reason":"no-prescription-id","type":"same-prescription-elsewhere"}]}"#
        #expect(response.jsonBytes.map { String(decoding: $0, as: UTF8.self) } == expected)
        #expect(response.jsonBytes == JSONCoding.encoderBytes(response))
    }

    @Test("3,000 random answers (every optional present and absent, every enum value, any text): the encoder's bytes")
    func randomAnswers() {
        var random = SplitMix64(seed: 0x5EED_0011)
        var mismatches = 0
        for _ in 0..<3000 {
            let response = Self.randomResponse(using: &random)
            if response.jsonBytes != JSONCoding.encoderBytes(response) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("A quantity that is not finite: no bytes, as the encoder refuses it")
    func notFinite() {
        let fill = CheckResponse.FillBody(id: "a", date: "2026-11-01", quantity: .infinity, daysSupply: nil, source: .local, pharmacy: nil)
        let response = CheckResponse(findings: [.init(type: .earlyRefill, severity: .warning, message: "m", dispenses: [fill])],
                                     coverage: Coverage(central: .live), skippedChecks: [])
        #expect(response.jsonBytes == nil)
        #expect(JSONCoding.encoderBytes(response) == nil)
    }

    static let texts = ["", "Renouvellement hâtif : 5 jours", "line\nbreak \"quoted\" back\\slash / \u{1}", "🙂 日本", "2026-11-30T21:00:00Z"]

    /// `make`'s value or nil, each half the time.
    static func maybe<T>(_ random: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> T? {
        Bool.random(using: &random) ? make(&random) : nil
    }

    static func text(_ random: inout SplitMix64) -> String { texts.randomElement(using: &random)! }

    static func randomFill(_ random: inout SplitMix64) -> CheckResponse.FillBody {
        let quantities: [Double] = [0, -0.0, 1, 60, 0.5, 12.25, 1e16, 1e-7, 30.000000000000004]
        let id = text(&random), date = text(&random)
        let quantity = maybe(&random) { quantities.randomElement(using: &$0)! }
        let daysSupply = maybe(&random) { Int.random(in: 0...400, using: &$0) }
        let source: CheckFill.Source = Bool.random(using: &random) ? .local : .central
        let pharmacy = maybe(&random) { text(&$0) }
        return CheckResponse.FillBody(id: id, date: date, quantity: quantity, daysSupply: daysSupply, source: source, pharmacy: pharmacy)
    }

    static func randomResponse(using random: inout SplitMix64) -> CheckResponse {
        var coverage = Coverage(central: [.live, .cache, .none].randomElement(using: &random)!)
        coverage.reason = maybe(&random) { [Coverage.Reason.notConfigured, .neverFetched, .unreachable].randomElement(using: &$0)! }
        coverage.asOf = maybe(&random) { text(&$0) }
        coverage.ageSeconds = maybe(&random) { Int.random(in: -5...100_000_000, using: &$0) }
        coverage.stale = maybe(&random) { Bool.random(using: &$0) }
        coverage.unreadableLocalFills = Int.random(in: 0...3, using: &random)
        var findings: [CheckResponse.FindingBody] = []
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let type = Finding.Kind.allCases.randomElement(using: &random)!
            let severity: Finding.Severity = Bool.random(using: &random) ? .info : .warning
            let message = text(&random)
            let fills = (0..<Int.random(in: 0...4, using: &random)).map { _ in randomFill(&random) }
            findings.append(.init(type: type, severity: severity, message: message, dispenses: fills))
        }
        var skipped: [SkippedCheck] = []
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let type = Finding.Kind.allCases.randomElement(using: &random)!
            skipped.append(SkippedCheck(type: type, reason: [.noDIN, .noSubstanceCode, .noPrescriptionId].randomElement(using: &random)!))
        }
        return CheckResponse(findings: findings, coverage: coverage, skippedChecks: skipped)
    }
}
