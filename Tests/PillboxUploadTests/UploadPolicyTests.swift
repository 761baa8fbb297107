import PillboxUpload
import Testing

@Suite("Upload policy: retry, back-off, isolation, classification")
struct UploadPolicyTests {
    static let settings = UploadSettings(centralURL: "http://127.0.0.1:1/fhir", batchSize: 100, backoffInitialSeconds: 1,
                                         backoffMaxSeconds: 60, startJitterSeconds: 30, idlePollSeconds: 5)

    /// "Random" that always returns the ceiling, so delays are the exact upper bounds.
    static let ceiling: @Sendable (Double) -> Double = { $0 }

    @Test("Start-up waits a jittered time within the configured window")
    func startJitter() {
        #expect(UploadPolicy(settings: Self.settings, random: Self.ceiling).start() == .wait(seconds: 30))
        #expect(UploadPolicy(settings: Self.settings, random: { $0 / 2 }).start() == .wait(seconds: 15))
    }

    @Test("Consecutive transient failures back off exponentially up to the cap, then reset on success")
    func exponentialBackoff() {
        var policy = UploadPolicy(settings: Self.settings, random: Self.ceiling)
        let delays = (0..<9).map { _ in policy.next(after: .transient(retryAfter: nil)) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { .wait(seconds: $0) })
        #expect(policy.failures == 9)
        #expect(policy.next(after: .answered) == .send(batchSize: 100))
        #expect(policy.failures == 0)
        #expect(policy.next(after: .transient(retryAfter: nil)) == .wait(seconds: 1))
    }

    @Test("Full jitter draws below the ceiling; Retry-After is a floor, obeyed up to an hour")
    func jitterAndRetryAfter() {
        var policy = UploadPolicy(settings: Self.settings, random: { $0 * 0.25 })
        #expect(policy.next(after: .transient(retryAfter: nil)) == .wait(seconds: 0.25))
        #expect(policy.next(after: .transient(retryAfter: 7)) == .wait(seconds: 7))
        #expect(policy.next(after: .transient(retryAfter: 120)) == .wait(seconds: 120))
        #expect(policy.next(after: .transient(retryAfter: 86_400)) == .wait(seconds: 3600))
    }

    @Test("A bundle refused as a whole is halved until a single entry remains, then size restores")
    func isolatesRefusedEntries() {
        var policy = UploadPolicy(settings: Self.settings, random: Self.ceiling)
        let sizes = (0..<8).map { _ in policy.next(after: .bundleRefused) }
        #expect(sizes == [50, 25, 12, 6, 3, 1, 1, 1].map { .send(batchSize: $0) })
        #expect(policy.next(after: .answered) == .send(batchSize: 100))
    }

    @Test("An empty outbox waits for the next due entry, never longer than the idle poll")
    func idleWaits() {
        var policy = UploadPolicy(settings: Self.settings, random: Self.ceiling)
        #expect(policy.next(after: .empty(nextDueIn: nil)) == .wait(seconds: 5))
        #expect(policy.next(after: .empty(nextDueIn: 2)) == .wait(seconds: 2))
        #expect(policy.next(after: .empty(nextDueIn: 100)) == .wait(seconds: 5))
        #expect(policy.next(after: .empty(nextDueIn: -3)) == .wait(seconds: 0))
    }

    @Test("Entry statuses classify as accepted, transient, credential check or permanent")
    func classification() {
        #expect([200, 201, 204].map(UploadPolicy.classify(entryStatus:)) == [.accepted, .accepted, .accepted])
        #expect([408, 429, 500, 502, 503].map(UploadPolicy.classify(entryStatus:)) == Array(repeating: .transient, count: 5))
        #expect([401, 403].map(UploadPolicy.classify(entryStatus:)) == [.needsCredentialCheck, .needsCredentialCheck])
        #expect([400, 404, 409, 412, 422].map(UploadPolicy.classify(entryStatus:)) == Array(repeating: .permanent, count: 5))
    }

    @Test("Settings refuse plain http off loopback, https without TLS files, and '|' in the pharmacy identity")
    func settingsValidation() {
        var settings = Self.settings
        settings.pharmacy = .init(system: "https://pharmacy.example/ids", pharmacyID: "1234")
        #expect(settings.validate() == nil)
        settings.centralURL = "http://central.example/fhir"
        #expect(settings.validate()?.hasPrefix("central.url: plain http is allowed only on loopback") == true)
        settings.centralURL = "https://central.example/fhir"
        #expect(settings.validate()?.hasPrefix("central.tls:") == true)
        settings.centralURL = "http://localhost:8090/fhir"
        settings.pharmacy.pharmacyID = "12|34"
        #expect(settings.validate()?.hasPrefix("central.pharmacySystem/pharmacyId") == true)
        settings.centralURL = nil
        #expect(settings.validate() == nil, "local-only mode needs nothing else")
    }
}
