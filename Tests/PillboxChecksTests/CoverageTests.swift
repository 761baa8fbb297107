import Foundation
import PillboxChecks
import PillboxModel
import Testing

@Suite("Coverage: a check that could not see the central record never looks like a clean one")
struct CoverageTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var knowledge: CentralKnowledge
        var expected: Coverage
        var testDescription: String { name }
    }

    static let now = Fixtures.day(0)
    static let cases: [Case] = [
        Case(name: "not configured", knowledge: .notConfigured, expected: Coverage(central: .none, reason: .notConfigured)),
        Case(name: "live", knowledge: CentralKnowledge(configured: true, answered: true, asOf: now, knownUnreachable: false),
             expected: Coverage(central: .live, asOf: Timestamps.format(now), ageSeconds: 0)),
        Case(name: "cache an hour old (fresh)", knowledge: Fixtures.cachedAnHourAgo,
             expected: Coverage(central: .cache, asOf: Timestamps.format(Fixtures.day(-1.0 / 24)), ageSeconds: 3600, stale: false)),
        Case(name: "cache exactly 24 h old is not yet stale",
             knowledge: CentralKnowledge(configured: true, answered: false, asOf: Fixtures.day(-1), knownUnreachable: true),
             expected: Coverage(central: .cache, asOf: Timestamps.format(Fixtures.day(-1)), ageSeconds: 86_400, stale: false)),
        Case(name: "cache 24 h and 1 s old is stale",
             knowledge: CentralKnowledge(configured: true, answered: false, asOf: Fixtures.day(-1).addingTimeInterval(-1),
                                         knownUnreachable: true),
             expected: Coverage(central: .cache, asOf: Timestamps.format(Fixtures.day(-1).addingTimeInterval(-1)),
                                ageSeconds: 86_401, stale: true)),
        Case(name: "no cache, central unreachable",
             knowledge: CentralKnowledge(configured: true, answered: false, asOf: nil, knownUnreachable: true),
             expected: Coverage(central: .none, reason: .unreachable)),
        Case(name: "no cache, central not known to fail (slow): never fetched",
             knowledge: CentralKnowledge(configured: true, answered: false, asOf: nil, knownUnreachable: false),
             expected: Coverage(central: .none, reason: .neverFetched)),
    ]

    @Test("coverage table", arguments: cases)
    func table(_ test: Case) {
        #expect(Checks.run(Fixtures.input(Fixtures.dispense(), knowledge: test.knowledge, now: Self.now)).coverage == test.expected)
    }

    @Test("a stale cache still finds the fill it holds, and says it is stale")
    func staleCacheStillFinds() {
        let knowledge = CentralKnowledge(configured: true, answered: false, asOf: Fixtures.day(-3), knownUnreachable: true)
        let outcome = Checks.run(Fixtures.input(Fixtures.dispense(), central: [Fixtures.fill("c", .central, on: -4)],
                                                knowledge: knowledge))
        #expect(outcome.findings.map(\.kind) == [.earlyRefill])
        #expect(outcome.coverage.central == .cache && outcome.coverage.stale == true && outcome.coverage.ageSeconds == 259_200)
    }

    @Test("unreadable local fills are counted in the coverage")
    func unreadable() {
        var input = Fixtures.input(Fixtures.dispense())
        input.unreadableLocalFills = 2
        #expect(Checks.run(input).coverage.unreadableLocalFills == 2)
    }

    @Test("settings: defaults, partial files, and every range refused with the setting's name")
    func settings() throws {
        let partial = try JSONDecoder().decode(CheckSettings.self, from: Data(#"{"earlyRefillRemainingPercent": 40}"#.utf8))
        var expected = CheckSettings()
        expected.earlyRefillRemainingPercent = 40
        #expect(partial == expected)
        try CheckSettings().validate()
        var bad = CheckSettings()
        bad.earlyRefillRemainingPercent = 100
        #expect(throws: ConfigurationError("earlyRefillRemainingPercent", "is out of range: must be 0 to 99")) {
            try bad.validate()
        }
        bad = CheckSettings()
        bad.maxLocalFills = 0
        #expect(throws: ConfigurationError("maxLocalFills", "is out of range: must be 1 to 10000")) {
            try bad.validate()
        }
        bad = CheckSettings()
        bad.staleCacheSeconds = 59
        #expect((try? bad.validate()) == nil)
        bad = CheckSettings()
        bad.duplicateTherapyOverlapDays = -1
        #expect((try? bad.validate()) == nil)
        bad = CheckSettings()
        bad.samePrescriptionRemainingPercent = 99.5
        #expect((try? bad.validate()) == nil)
    }
}
