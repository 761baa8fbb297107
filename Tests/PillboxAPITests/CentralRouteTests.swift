import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxModel
import PillboxTestSupport
import Synchronization
import Testing

/// A central record stand-in for the API: fixed profile entries, counts sync requests.
final class FakeCentral: CentralRecordView {
    let syncRequests = Mutex(0)
    let asOf = Date(timeIntervalSince1970: 1_795_000_000)
    let reachable: Bool

    init(reachable: Bool) { self.reachable = reachable }

    func status() -> CentralStatus {
        var status = CentralStatus(configured: true, reachable: reachable, lastSuccessAt: Date(timeIntervalSince1970: 1_795_000_000),
                                   lastFailureAt: reachable ? nil : Date(timeIntervalSince1970: 1_795_000_060.25),
                                   lastError: reachable ? nil : "connection refused")
        status.heldEntries = 2
        return status
    }

    func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        let dispense = CentralDispense(resourceID: "pbx-other", status: "completed",
                                       medication: .init(din: "00000019", display: "Amoxicillin"),
                                       quantity: .init(value: 30, unit: "capsule"), whenHandedOver: "2026-02-15T12:00:00Z")
        return CentralProfile(dispenses: [dispense], reachable: reachable, asOf: asOf)
    }

    func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        var profile = await profile(nam: nam, localDispenseIDs: localDispenseIDs)
        profile.reachable = false
        return profile
    }

    func requestSync() { syncRequests.withLock { $0 += 1 } }
}

@Suite("Central record routes: merged profiles, status, the outbox")
struct CentralRouteTests {
    @Test("Central entries merge into the profile by date, marked central, with reachability and asOf")
    func mergedProfile() async throws {
        let central = FakeCentral(reachable: false)
        let harness = try APIHarness(central: central)
        try await harness.test { client in
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "L-1", handedOver: "2026-01-10T10:00:00-05:00"))
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "L-2", handedOver: "2026-03-10T10:00:00-05:00"))
            let profile = try await client.get("/v1/patients/TREM50020312/medications")
            let entries = try #require(profile.json["medications"] as? [[String: Any]])
            #expect(entries.map { $0["source"] as? String } == ["local", "central", "local"])
            #expect(entries[1]["resourceID"] as? String == "pbx-other")
            let quantity = try #require(entries[1]["quantity"] as? [String: Any])
            #expect(quantity["value"] as? Double == 30 && quantity["unit"] as? String == "capsule")
            #expect(Set(entries[1].keys) == ["source", "resourceID", "status", "medication", "quantity", "whenHandedOver"],
                    "a central entry is the dispense's fields and its source, nothing absent spelled as null")
            let centralPart = try #require(profile.json["central"] as? [String: Any])
            #expect(centralPart["configured"] as? Bool == true)
            #expect(centralPart["reachable"] as? Bool == false)
            #expect(centralPart["asOf"] as? String == Timestamps.format(central.asOf))

            let since = try await client.get("/v1/patients/TREM50020312/medications?since=2026-03-01")
            #expect((since.json["medications"] as? [[String: Any]])?.map { $0["source"] as? String } == ["local"])
        }
    }

    @Test("Status reports the central record; sync asks the uploader")
    func statusAndSync() async throws {
        let central = FakeCentral(reachable: false)
        let harness = try APIHarness(central: central)
        try await harness.test { client in
            let status = try await client.get("/v1/status")
            #expect(status.json["mode"] as? String == "upload")
            let part = try #require(status.json["central"] as? [String: Any])
            #expect(part["reachable"] as? Bool == false)
            #expect(part["lastError"] as? String == "connection refused")
            #expect(part["lastSuccessAt"] as? String == "2026-11-18T11:06:40.000Z")
            #expect(part["lastErrorAt"] as? String == "2026-11-18T11:07:40.250Z")
            #expect(part["heldEntries"] as? Int == 2)
            #expect(part["problem"] == nil)
            let sync = try await client.execute(uri: "/v1/sync", method: .post)
            #expect(sync.status == .accepted)
            #expect(central.syncRequests.withLock { $0 } == 1)
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "W-1"))
            #expect(central.syncRequests.withLock { $0 } == 1, "a new record does not count as a sync request")
            harness.as(APIHarness.dispenser)
            #expect(try await client.execute(uri: "/v1/sync", method: .post).status == .forbidden)
        }
    }

    @Test("In local-only mode sync is a 409 problem")
    func localOnlySync() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let sync = try await client.execute(uri: "/v1/sync", method: .post)
            #expect(sync.status == .conflict)
            #expect(sync.json["type"] as? String == "https://pillbox.local/problems/local-only")
        }
    }

    @Test("The outbox lists entries by state; retry requeues only dead letters")
    func outbox() async throws {
        let harness = try APIHarness(central: FakeCentral(reachable: true))
        try await harness.test { client in
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "O-1"))
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "O-2"))
            let pending = try await client.get("/v1/outbox?state=pending")
            let entries = try #require(pending.json["entries"] as? [[String: Any]])
            #expect(entries.map { $0["version"] as? Int } == [1, 1])
            #expect(entries.map { $0["state"] as? String } == ["pending", "pending"])
            let seq = try #require(entries.first?["seq"] as? Int)
            #expect(try await client.get("/v1/outbox?state=failed").json["entries"] as? [Any] != nil)
            #expect((try await client.get("/v1/outbox?state=failed").json["entries"] as? [Any])?.isEmpty == true)
            #expect(try await client.get("/v1/outbox?state=lost").status == .badRequest)

            // Not dead-lettered: nothing to retry.
            #expect(try await client.execute(uri: "/v1/outbox/\(seq)/retry", method: .post).status == .conflict)
            try await harness.store.recordUploadResults([(Int64(seq), .deadLetter(summary: "HTTP 422 (invalid)", outcome: nil))],
                                                        now: Date())
            let failed = try await client.get("/v1/outbox?state=failed")
            #expect((failed.json["entries"] as? [[String: Any]])?.first?["lastError"] as? String == "HTTP 422 (invalid)")
            #expect(try await client.execute(uri: "/v1/outbox/\(seq)/retry", method: .post).status == .ok)
            #expect((try await client.get("/v1/outbox?state=pending").json["entries"] as? [Any])?.count == 2)
            #expect(try await client.execute(uri: "/v1/outbox/999/retry", method: .post).status == .conflict)
        }
    }
}
