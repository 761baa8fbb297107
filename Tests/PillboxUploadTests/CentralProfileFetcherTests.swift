import Foundation
import Logging
import PillboxCentralSimulator
import PillboxFHIR
import PillboxModel
import PillboxTestSupport
import Testing
@testable import PillboxUpload

@Suite("Central profiles kept at hand", .serialized)
struct CentralProfileFetcherTests {
    @Test("A profile holds other pharmacies' fills, not this pharmacy's own uploads; with the central record down it answers from cache within the budget")
    func fetchCacheAndFallback() async throws {
        try await UploadHarness.run { harness in
            // This pharmacy's records, uploaded.
            try await harness.record(2, prefix: "OWN", nam: "ABCD12345678")
            try await harness.withUploader {
                let reached1 = try await harness.eventually { try await harness.pending() == 0 }
                #expect(reached1)
            }
            // Another pharmacy's fill of the same patient, straight to the central record.
            let other = PharmacyIdentity(system: "https://other.example/ids", pharmacyID: "9")
            let otherRecord = DispenseRecord(
                id: "x", version: 1, status: .completed, recordedAt: "2026-11-01T10:00:00.000Z", reason: nil, sync: .init(state: .pending),
                dispense: Dispense(pharmacyDispenseId: "THEIRS-1", patient: .init(nam: "ABCD12345678"),
                                   medication: .init(din: "00000019", display: "Amoxicillin"), whenHandedOver: "2026-11-01T10:00:00Z"))
            let otherClient = CentralClient(transport: harness.transport, pharmacy: other)
            guard case .answered(let outcomes) = await otherClient.upload([otherRecord]) else {
                Issue.record("the other pharmacy's upload was not answered")
                return
            }
            #expect(outcomes.map(\.status) == [201])

            // A generous budget for the fresh fetch, so a loaded machine cannot make it "unreachable";
            // the default 300 ms budget is what the slow-central part below checks.
            let patient = CentralProfileFetcher(store: harness.store, client: harness.client, health: harness.health,
                                          budgetMilliseconds: 10_000, logger: Logger(label: "test"))
            let fetcher = CentralProfileFetcher(store: harness.store, client: harness.client, health: harness.health,
                                           budgetMilliseconds: 300, logger: Logger(label: "test"))
            let fresh = await patient.profile(nam: "ABCD12345678", localDispenseIDs: ["OWN-0", "OWN-1"])
            #expect(fresh.reachable)
            #expect(fresh.dispenses.map(\.identifierValue) == ["THEIRS-1"])
            #expect(fresh.dispenses.first?.medication.din == "00000019")
            let fetchedAt = try #require(fresh.asOf)

            harness.central.setMode(.slow(delaySeconds: 6))
            let started = ContinuousClock.now
            let cached = await fetcher.profile(nam: "ABCD12345678", localDispenseIDs: ["OWN-0", "OWN-1"])
            let waited = ContinuousClock.now - started
            #expect(!cached.reachable)
            #expect(abs((cached.asOf ?? .distantPast).timeIntervalSince(fetchedAt)) < 0.001)
            #expect(cached.dispenses.map(\.identifierValue) == ["THEIRS-1"])
            #expect(waited < .milliseconds(3000), "waited \(waited) on a central record 6 s slow, with a 300 ms budget")

            harness.central.setMode(.down)
            let unknown = await fetcher.profile(nam: "ZZZZ00000000", localDispenseIDs: [])
            #expect(!unknown.reachable)
            #expect(unknown.asOf == nil)
            #expect(unknown.dispenses.isEmpty)
        }
    }
}
