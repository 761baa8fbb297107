import PillboxUpload
import Testing

/// One case of the policy table: attempts folded in first (`before`), then the attempt
/// whose decision is checked.
struct PolicyCase: Sendable, CustomTestStringConvertible {
    struct Step: Sendable {
        var batch: [Int64]
        var outcome: UploadPolicy.Outcome
        var credentialsAccepted: Bool? = nil
    }

    var name: String
    var before: [Step] = []
    var step: Step
    var expected: UploadPolicy.Decision
    var testDescription: String { name }
}

@Suite("Upload policy: one table of decisions, back-off, classification")
struct UploadPolicyTests {
    static let settings: UploadSettings = {
        var settings = UploadSettings(centralURL: "http://127.0.0.1:1/fhir", batchSize: 100, backoffInitialSeconds: 1,
                                      backoffMaxSeconds: 60, startJitterSeconds: 30, idlePollSeconds: 5)
        settings.systemicRefusalThreshold = 3
        settings.configurationRetrySeconds = 10
        return settings
    }()

    /// "Random" that always returns the ceiling, so delays are the exact upper bounds.
    static let ceiling: @Sendable (Double) -> Double = { $0 }

    typealias S = PolicyCase.Step

    static let cases: [PolicyCase] = [
        PolicyCase(name: "every entry accepted: sent, next batch at once",
                   step: S(batch: [1, 2], outcome: .answered(entryStatuses: [201, 200])),
                   expected: .init(entries: [.sent, .sent], action: .send(batchSize: 100))),
        PolicyCase(name: "mixed batch: 5xx deferred by the entry's back-off, 422 refused while others pass is a dead letter",
                   step: S(batch: [1, 2, 3], outcome: .answered(entryStatuses: [201, 503, 422])),
                   expected: .init(entries: [.sent, .retry(afterSeconds: 1), .deadLetter], action: .send(batchSize: 100))),
        PolicyCase(name: "refused with nothing accepted, below the threshold: held, not dead",
                   step: S(batch: [1, 2], outcome: .answered(entryStatuses: [422, 409])),
                   expected: .init(entries: [.hold(afterSeconds: 1), .hold(afterSeconds: 1)], action: .send(batchSize: 100))),
        PolicyCase(name: "threshold distinct entries refused with nothing accepted: systemic refusal, single-entry probe after a wait",
                   step: S(batch: [1, 2, 3, 4], outcome: .answered(entryStatuses: [422, 422, 400, 422])),
                   expected: .init(entries: Array(repeating: .hold(afterSeconds: 1), count: 4), action: .wait(seconds: 1),
                                   condition: .systemicRefusal)),
        PolicyCase(name: "the streak counts across batches",
                   before: [S(batch: [1, 2], outcome: .answered(entryStatuses: [422, 422]))],
                   step: S(batch: [3], outcome: .answered(entryStatuses: [422])),
                   expected: .init(entries: [.hold(afterSeconds: 1)], action: .wait(seconds: 1), condition: .systemicRefusal)),
        PolicyCase(name: "the same entry refused again does not grow the streak",
                   before: [S(batch: [1, 2], outcome: .answered(entryStatuses: [422, 422]))],
                   step: S(batch: [1, 2], outcome: .answered(entryStatuses: [422, 422])),
                   expected: .init(entries: [.hold(afterSeconds: 1), .hold(afterSeconds: 1)], action: .send(batchSize: 100))),
        PolicyCase(name: "an acceptance ends a systemic refusal and releases the held entries",
                   before: [S(batch: [1, 2, 3], outcome: .answered(entryStatuses: [422, 422, 422]))],
                   step: S(batch: [4], outcome: .answered(entryStatuses: [201])),
                   expected: .init(entries: [.sent], released: [1, 2, 3], action: .send(batchSize: 100))),
        PolicyCase(name: "a held entry refused again after others were accepted is a dead letter",
                   before: [S(batch: [1], outcome: .answered(entryStatuses: [422])),
                            S(batch: [2], outcome: .answered(entryStatuses: [201]))],
                   step: S(batch: [1], outcome: .answered(entryStatuses: [422])),
                   expected: .init(entries: [.deadLetter], action: .send(batchSize: 100))),
        PolicyCase(name: "released entries refused again in a systemic burst stay held",
                   before: [S(batch: [1], outcome: .answered(entryStatuses: [422])),
                            S(batch: [2], outcome: .answered(entryStatuses: [201]))],
                   step: S(batch: [1, 3, 4], outcome: .answered(entryStatuses: [422, 422, 422])),
                   expected: .init(entries: Array(repeating: .hold(afterSeconds: 1), count: 3), action: .wait(seconds: 1),
                                   condition: .systemicRefusal)),
        PolicyCase(name: "systemic refusal goes on: the wait grows to configurationRetrySeconds",
                   before: (1...7).map { S(batch: [Int64($0)], outcome: .answered(entryStatuses: [422])) },
                   step: S(batch: [8], outcome: .answered(entryStatuses: [422])),
                   expected: .init(entries: [.hold(afterSeconds: 1)], action: .wait(seconds: 10), condition: .systemicRefusal)),
        PolicyCase(name: "per-entry 404 is a configuration problem: untouched, back off; the accepted ones are sent",
                   step: S(batch: [1, 2], outcome: .answered(entryStatuses: [201, 404])),
                   expected: .init(entries: [.sent, .untouched], action: .wait(seconds: 1), condition: .configuration)),
        PolicyCase(name: "per-entry 405 is a configuration problem",
                   step: S(batch: [1], outcome: .answered(entryStatuses: [405])),
                   expected: .init(entries: [.untouched], action: .wait(seconds: 1), condition: .configuration)),
        PolicyCase(name: "per-entry 403 with the credential check failing: credentials, untouched",
                   step: S(batch: [1, 2], outcome: .answered(entryStatuses: [403, 403]), credentialsAccepted: false),
                   expected: .init(entries: [.untouched, .untouched], action: .wait(seconds: 1), condition: .credentials)),
        PolicyCase(name: "per-entry 403 with the credential check passing: a content refusal like 422",
                   step: S(batch: [1, 2], outcome: .answered(entryStatuses: [201, 403]), credentialsAccepted: true),
                   expected: .init(entries: [.sent, .deadLetter], action: .send(batchSize: 100))),
        PolicyCase(name: "whole request 503: untouched, back off at least Retry-After",
                   step: S(batch: [1], outcome: .refused(status: 503, retryAfter: 7)),
                   expected: .init(entries: [.untouched], action: .wait(seconds: 7))),
        PolicyCase(name: "whole request 429 without Retry-After: the back-off",
                   step: S(batch: [1], outcome: .refused(status: 429, retryAfter: nil)),
                   expected: .init(entries: [.untouched], action: .wait(seconds: 1))),
        PolicyCase(name: "whole request 401: credentials, untouched",
                   step: S(batch: [1, 2], outcome: .refused(status: 401, retryAfter: nil)),
                   expected: .init(entries: [.untouched, .untouched], action: .wait(seconds: 1), condition: .credentials)),
        PolicyCase(name: "whole request 404: configuration, untouched",
                   step: S(batch: [1], outcome: .refused(status: 404, retryAfter: nil)),
                   expected: .init(entries: [.untouched], action: .wait(seconds: 1), condition: .configuration)),
        PolicyCase(name: "whole request 302 (redirects are not followed): configuration",
                   step: S(batch: [1], outcome: .refused(status: 302, retryAfter: nil)),
                   expected: .init(entries: [.untouched], action: .wait(seconds: 1), condition: .configuration)),
        PolicyCase(name: "whole bundle 400: halve and resend at once",
                   step: S(batch: [1, 2, 3, 4], outcome: .refused(status: 400, retryAfter: nil)),
                   expected: .init(entries: Array(repeating: .untouched, count: 4), action: .send(batchSize: 2))),
        PolicyCase(name: "whole bundle 413 of one entry: held, not dead",
                   step: S(batch: [1], outcome: .refused(status: 413, retryAfter: nil)),
                   expected: .init(entries: [.hold(afterSeconds: 1)], action: .send(batchSize: 100))),
        PolicyCase(name: "single-entry bundles refused threshold times: systemic refusal",
                   before: [S(batch: [1], outcome: .refused(status: 422, retryAfter: nil)),
                            S(batch: [2], outcome: .refused(status: 422, retryAfter: nil))],
                   step: S(batch: [3], outcome: .refused(status: 422, retryAfter: nil)),
                   expected: .init(entries: [.hold(afterSeconds: 1)], action: .wait(seconds: 1), condition: .systemicRefusal)),
        PolicyCase(name: "a held single-entry bundle refused again after another entry was accepted is a dead letter",
                   before: [S(batch: [1], outcome: .refused(status: 400, retryAfter: nil)),
                            S(batch: [2], outcome: .answered(entryStatuses: [201]))],
                   step: S(batch: [1], outcome: .refused(status: 400, retryAfter: nil)),
                   expected: .init(entries: [.deadLetter], action: .send(batchSize: 100))),
        PolicyCase(name: "no answer: untouched, back off",
                   step: S(batch: [1], outcome: .noAnswer),
                   expected: .init(entries: [.untouched], action: .wait(seconds: 1))),
        PolicyCase(name: "an unreadable answer: untouched, back off",
                   step: S(batch: [1], outcome: .unreadableAnswer),
                   expected: .init(entries: [.untouched], action: .wait(seconds: 1))),
        PolicyCase(name: "the outbox unreadable: back off",
                   step: S(batch: [], outcome: .outboxUnavailable),
                   expected: .init(action: .wait(seconds: 1))),
        PolicyCase(name: "empty: wait for the next due entry", step: S(batch: [], outcome: .empty(nextDueIn: 2)),
                   expected: .init(action: .wait(seconds: 2))),
        PolicyCase(name: "empty: never longer than the idle poll", step: S(batch: [], outcome: .empty(nextDueIn: 100)),
                   expected: .init(action: .wait(seconds: 5))),
        PolicyCase(name: "empty with nothing deferred: the idle poll", step: S(batch: [], outcome: .empty(nextDueIn: nil)),
                   expected: .init(action: .wait(seconds: 5))),
        PolicyCase(name: "empty with a due time in the past: a short wait, never a spin",
                   step: S(batch: [], outcome: .empty(nextDueIn: -3)),
                   expected: .init(action: .wait(seconds: UploadPolicy.minimumIdleWait))),
        PolicyCase(name: "systemic refusal persists while the outbox is empty",
                   before: [S(batch: [1, 2, 3], outcome: .answered(entryStatuses: [422, 422, 422]))],
                   step: S(batch: [], outcome: .empty(nextDueIn: 1)),
                   expected: .init(action: .wait(seconds: 1), condition: .systemicRefusal)),
    ]

    @Test("Each outcome gives its dispositions, next action and condition", arguments: cases)
    func decision(_ testCase: PolicyCase) {
        var policy = UploadPolicy(settings: Self.settings, random: Self.ceiling)
        for step in testCase.before {
            _ = policy.decide(batch: step.batch.map { .init(seq: $0, attempts: 0) }, outcome: step.outcome,
                              credentialsAccepted: step.credentialsAccepted)
        }
        let step = testCase.step
        let decision = policy.decide(batch: step.batch.map { .init(seq: $0, attempts: 0) }, outcome: step.outcome,
                                     credentialsAccepted: step.credentialsAccepted)
        #expect(decision == testCase.expected)
    }

    @Test("A whole bundle refused every time costs 7 requests to isolate one entry, then one per entry, then probes")
    func refusedBundlesBecomeSystemic() {
        var settings = Self.settings
        settings.systemicRefusalThreshold = 10
        var policy = UploadPolicy(settings: settings, random: Self.ceiling)
        var size = 100
        var requests = 0
        var nextSeq: Int64 = 1
        var dead = 0
        while policy.condition != .systemicRefusal && requests < 200 {
            let batch = (0..<Int64(size)).map { UploadPolicy.Entry(seq: nextSeq + $0, attempts: 0) }
            let decision = policy.decide(batch: batch, outcome: .refused(status: 400, retryAfter: nil))
            requests += 1
            dead += decision.entries.filter { $0 == .deadLetter }.count
            if decision.entries.contains(where: { if case .hold = $0 { true } else { false } }) { nextSeq += 1 }
            guard case .send(let next) = decision.action else { break }
            size = next
        }
        #expect(requests == 6 + 10, "halving 100 to 1 takes 6 requests, then one request per entry up to the threshold")
        #expect(dead == 0)
        #expect(policy.batchSize == 1)
        #expect(policy.held.count == 10)
    }

    @Test("Start-up waits a jittered time within the configured window")
    func startJitter() {
        #expect(UploadPolicy(settings: Self.settings, random: Self.ceiling).start() == .wait(seconds: 30))
        #expect(UploadPolicy(settings: Self.settings, random: { $0 / 2 }).start() == .wait(seconds: 15))
    }

    @Test("Consecutive transient failures back off exponentially up to the cap, then reset on an answer")
    func exponentialBackoff() {
        var policy = UploadPolicy(settings: Self.settings, random: Self.ceiling)
        let delays = (0..<9).map { _ in policy.decide(batch: [.init(seq: 1, attempts: 0)], outcome: .noAnswer).action }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { .wait(seconds: $0) })
        #expect(policy.failures == 9)
        #expect(policy.decide(batch: [.init(seq: 1, attempts: 0)], outcome: .answered(entryStatuses: [201])).action
            == .send(batchSize: 100))
        #expect(policy.failures == 0)
        #expect(policy.transientFailure(retryAfter: nil) == .wait(seconds: 1))
    }

    @Test("Full jitter draws below the ceiling; Retry-After is a floor, obeyed up to an hour")
    func jitterAndRetryAfter() {
        var policy = UploadPolicy(settings: Self.settings, random: { $0 * 0.25 })
        #expect(policy.transientFailure(retryAfter: nil) == .wait(seconds: 0.25))
        #expect(policy.transientFailure(retryAfter: 7) == .wait(seconds: 7))
        #expect(policy.transientFailure(retryAfter: 120) == .wait(seconds: 120))
        #expect(policy.transientFailure(retryAfter: 86_400) == .wait(seconds: 3600))
    }

    @Test("Results that cannot be saved back off with equal jitter: never below half the ceiling")
    func saveFailuresBackOff() {
        var low = UploadPolicy(settings: Self.settings, random: { _ in 0 })
        #expect((0..<8).map { _ in low.saveFailed() } == [0.5, 1, 2, 4, 8, 16, 30, 30].map { .wait(seconds: $0) })
        var high = UploadPolicy(settings: Self.settings, random: Self.ceiling)
        #expect((0..<3).map { _ in high.saveFailed() } == [1, 2, 4].map { .wait(seconds: $0) })
        #expect(high.decide(batch: [.init(seq: 1, attempts: 0)], outcome: .answered(entryStatuses: [201])).action
            == .send(batchSize: 100))
        #expect(high.saveFailed() == .wait(seconds: 8), "an answer from the central record does not reset it")
        high.saved()
        #expect(high.saveFailed() == .wait(seconds: 1), "a saved result does")
    }

    @Test("Only entries answered 401/403 need a credential check")
    func credentialCheckNeeded() {
        #expect(UploadPolicy.needsCredentialCheck(.answered(entryStatuses: [201, 403])))
        #expect(UploadPolicy.needsCredentialCheck(.answered(entryStatuses: [401])))
        #expect(!UploadPolicy.needsCredentialCheck(.answered(entryStatuses: [201, 422, 503])))
        #expect(!UploadPolicy.needsCredentialCheck(.refused(status: 403, retryAfter: nil)))
    }

    static let statuses: [(Int, UploadPolicy.Scope, UploadPolicy.StatusClass)] = [
        (200, .entry, .accepted), (201, .entry, .accepted), (204, .request, .accepted),
        (408, .entry, .transient), (429, .request, .transient), (500, .entry, .transient), (503, .request, .transient),
        (401, .entry, .credentials), (403, .request, .credentials),
        (404, .entry, .configuration), (405, .entry, .configuration), (404, .request, .configuration),
        (302, .request, .configuration), (409, .request, .configuration), (415, .request, .configuration),
        (400, .request, .content), (413, .request, .content), (422, .request, .content),
        (400, .entry, .content), (409, .entry, .content), (412, .entry, .content), (422, .entry, .content),
    ]

    @Test("One table classifies every status, for a whole request and for an entry", arguments: statuses)
    func classification(_ row: (Int, UploadPolicy.Scope, UploadPolicy.StatusClass)) {
        #expect(UploadPolicy.classify(status: row.0, scope: row.1) == row.2)
    }

    @Test("Settings refuse plain http off loopback, https without TLS files, '|' in the pharmacy identity, bad refusal limits")
    func settingsValidation() {
        var settings = Self.settings
        func problem() -> String? {
            do {
                try settings.check()
                return nil
            } catch {
                return "\(error.under("central"))"
            }
        }
        settings.pharmacy = .init(system: "https://pharmacy.example/ids", pharmacyID: "1234")
        #expect(problem() == nil)
        settings.systemicRefusalThreshold = 0
        #expect(problem()?.hasPrefix("setting central.systemicRefusalThreshold") == true)
        settings.systemicRefusalThreshold = 10
        settings.configurationRetrySeconds = 0
        #expect(problem()?.hasPrefix("setting central.configurationRetrySeconds") == true)
        settings.configurationRetrySeconds = 30
        settings.centralURL = "http://central.example/fhir"
        #expect(problem()?.hasPrefix("setting central.url: plain http is allowed only on loopback") == true)
        settings.centralURL = "https://central.example/fhir"
        #expect(problem()?.hasPrefix("setting central.tls:") == true)
        settings.centralURL = "http://localhost:8090/fhir"
        settings.pharmacy.pharmacyID = "12|34"
        #expect(problem()?.hasPrefix("setting central.pharmacyId: must not be empty or contain '|'") == true)
        settings.centralURL = nil
        #expect(problem() == nil, "local-only mode needs nothing else")
    }
}
