import Foundation
import Logging
import PillboxFHIR
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing
@testable import PillboxUpload

/// The profile cache as ready fragments: written once per fetch, read without decoding, the
/// format of earlier daemons still read (and rewritten once), the checks' view unchanged.
@Suite("Central profile cache as ready fragments", .serialized)
struct CentralProfileFragmentsTests {
    static let own = UploadHarness.pharmacy.system
    static let dispenses = [
        CentralDispense(resourceID: "c-full", identifierSystem: "https://other.example/ids", identifierValue: "THEIRS-1", status: "completed",
                        medication: .init(din: "00000019", display: "Amox « 500 » \"caps\" \\ é 💊", strength: "500 mg"),
                        quantity: .init(value: 2.5, unit: "mL"), daysSupply: 10, dosageText: "tab\there\nline",
                        whenHandedOver: "2026-05-01T12:00:00Z", performerLicense: "LIC-9", lastUpdated: "2026-05-02T00:00:00Z",
                        prescriptionId: "RX/77", pharmacy: "Pharmacie"),
        CentralDispense(resourceID: "c-min", status: "completed", medication: .init(display: "Minimal")),
        CentralDispense(resourceID: "c-own", identifierSystem: own, identifierValue: "OWN-1", status: "completed",
                        medication: .init(display: "Ours"), whenHandedOver: "2026-06-01T00:00:00Z"),
        CentralDispense(resourceID: "c-error", status: "entered-in-error", medication: .init(display: "Never happened")),
        CentralDispense(resourceID: "c-updated", status: "in-progress", medication: .init(display: "Updated"),
                        lastUpdated: "2026-07-04T08:30:00.250-04:00"),
    ]

    @Test("A fragment is the dispense's sorted-keys JSON with source central, decodes back to it, and keeps its sort date")
    func fragmentBytes() throws {
        for dispense in Self.dispenses {
            let fragment = try CentralFragment(dispense)
            var object = try #require(try JSONSerialization.jsonObject(with: Data(fragment.json)) as? [String: Any])
            #expect(object.removeValue(forKey: "source") as? String == "central")
            let reencoded = try JSONSerialization.jsonObject(with: try JSONCoding.encoder.encode(dispense)) as? [String: Any]
            #expect(NSDictionary(dictionary: object).isEqual(to: reencoded ?? [:]))
            #expect(fragment.dispense == dispense)
            #expect(fragment.sortDate == dispense.sortDate)
        }
    }

    @Test("Version 2 cache bytes read back to the same fragments; truncated or altered bytes read as nothing, never a crash")
    func cacheFormatRoundTrip() throws {
        let fragments = try Self.dispenses.map { try CentralFragment($0) }
        let payload = CentralCacheFormat.payload(fragments)
        #expect(CentralCacheFormat.isCurrent(payload))
        #expect(CentralCacheFormat.fragments(from: payload) == fragments)
        #expect(CentralCacheFormat.dispenses(from: payload) == Self.dispenses)
        for length in stride(from: 0, to: payload.count, by: 7) {
            #expect(CentralCacheFormat.fragments(from: payload.prefix(length)) == nil, "prefix \(length)")
        }
        #expect(CentralCacheFormat.fragments(from: payload + Data([0])) == nil)
        // The format of earlier daemons: a JSON array of dispenses.
        let old = try JSONCoding.encoder.encode(Self.dispenses)
        #expect(!CentralCacheFormat.isCurrent(old))
        #expect(CentralCacheFormat.fragments(from: old) == fragments)
        #expect(CentralCacheFormat.dispenses(from: old) == Self.dispenses)
        #expect(CentralCacheFormat.fragments(from: Data("{}".utf8)) == nil)
    }

    @Test("A cache written by an earlier daemon answers the same fragments and dispenses, and is rewritten once in the current format with its fetch time")
    func oldCacheReadAndUpgraded() async throws {
        try await UploadHarness.run(mode: .down) { harness in
            let fetcher = CentralProfileFetcher(store: harness.store, client: harness.client, health: harness.health,
                                                budgetMilliseconds: 300, logger: Logger(label: "test"))
            let fetchedAt = Date(timeIntervalSince1970: 1_795_000_000.5)
            try await harness.store.cacheCentralProfile(nam: "ABCD12345678", payload: try JSONEncoder().encode(Self.dispenses),
                                                        fetchedAt: fetchedAt)
            let expected = Self.dispenses.filter { !["c-own", "c-error"].contains($0.resourceID) }

            let checks = await fetcher.cachedProfile(nam: "ABCD12345678", localDispenseIDs: ["OWN-1"])
            #expect(checks.dispenses == expected)
            let answer = await fetcher.cachedFragments(nam: "ABCD12345678", localDispenseIDs: ["OWN-1"])
            #expect(answer.fragments == (try expected.map { try CentralFragment($0) }))
            #expect(!answer.reachable && answer.configured && answer.asOf == fetchedAt)

            let rewritten = try #require(try await harness.store.cachedCentralProfile(nam: "ABCD12345678"))
            #expect(CentralCacheFormat.isCurrent(rewritten.payload))
            #expect(rewritten.fetchedAt == fetchedAt)
            #expect(CentralCacheFormat.dispenses(from: rewritten.payload) == Self.dispenses)
            // Read again from the current format: the same, for the answer and for the checks.
            #expect(await fetcher.cachedFragments(nam: "ABCD12345678", localDispenseIDs: ["OWN-1"]) == answer)
            #expect(await fetcher.cachedProfile(nam: "ABCD12345678", localDispenseIDs: ["OWN-1"]) == checks)
            // Not this pharmacy's local record any more: its own upload shows.
            #expect(await fetcher.cachedFragments(nam: "ABCD12345678", localDispenseIDs: []).fragments.map(\.dispense?.resourceID)
                == ["c-full", "c-min", "c-own", "c-updated"])
        }
    }

    @Test("The rewrite of an old cache never replaces a fresher fetch written meanwhile")
    func upgradeKeepsFresherFetch() async throws {
        try await UploadHarness.run(mode: .down) { harness in
            let old = Date(timeIntervalSince1970: 1_795_000_000)
            try await harness.store.cacheCentralProfile(nam: "ABCD12345678", payload: try JSONEncoder().encode(Self.dispenses), fetchedAt: old)
            let fresher = CentralCacheFormat.payload([try CentralFragment(Self.dispenses[1])])
            try await harness.store.cacheCentralProfile(nam: "ABCD12345678", payload: fresher, fetchedAt: old.addingTimeInterval(60))
            let rewritten = try await harness.store.upgradeCentralProfile(
                nam: "ABCD12345678", payload: CentralCacheFormat.payload(try Self.dispenses.map { try CentralFragment($0) }), ifFetchedAt: old)
            #expect(!rewritten)
            #expect(try await harness.store.cachedCentralProfile(nam: "ABCD12345678")?.payload == fresher)
        }
    }

    @Test("A fresh fetch caches version 2 fragments and answers them, without this pharmacy's own uploads")
    func freshFetchCachesFragments() async throws {
        try await UploadHarness.run { harness in
            let other = PharmacyIdentity(system: "https://other.example/ids", pharmacyID: "9")
            let record = DispenseRecord(
                id: "x", version: 1, status: .completed, recordedAt: "2026-11-01T10:00:00.000Z", reason: nil, sync: .init(state: .pending),
                dispense: Dispense(pharmacyDispenseId: "THEIRS-1", patient: .init(nam: "ABCD12345678"),
                                   medication: .init(din: "00000019", display: "Amoxicillin"), whenHandedOver: "2026-11-01T10:00:00Z"))
            guard case .answered = await CentralClient(transport: harness.transport, pharmacy: other).upload([record]) else {
                Issue.record("the other pharmacy's upload was not answered")
                return
            }
            let fetcher = CentralProfileFetcher(store: harness.store, client: harness.client, health: harness.health,
                                                budgetMilliseconds: 10_000, logger: Logger(label: "test"))
            let fresh = await fetcher.profileFragments(nam: "ABCD12345678", localDispenseIDs: [])
            #expect(fresh.reachable)
            #expect(fresh.fragments.map(\.identifierValue) == ["THEIRS-1"])
            let cached = try #require(try await harness.store.cachedCentralProfile(nam: "ABCD12345678"))
            #expect(CentralCacheFormat.isCurrent(cached.payload))
            #expect(CentralCacheFormat.fragments(from: cached.payload) == fresh.fragments)
            let checks = await fetcher.cachedProfile(nam: "ABCD12345678", localDispenseIDs: [])
            #expect(checks.dispenses.map(\.identifierValue) == ["THEIRS-1"])
            #expect(checks.dispenses.first?.medication.din == "00000019")
        }
    }
}
