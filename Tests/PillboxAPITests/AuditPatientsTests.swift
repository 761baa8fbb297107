import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("The audit trail names every patient a request touched or returned")
struct AuditPatientsTests {
    static let patientA = "TREM50020312"
    static let patientB = "ABCD12345678"

    /// One audit entry as the test compares it: action, dispense, outcome, patient reference.
    struct Seen: Equatable, CustomStringConvertible {
        var action: String
        var dispenseID: String?
        var outcome: Int
        var patientRef: String?
        var description: String { "\(action) \(dispenseID ?? "-") \(outcome) \(patientRef ?? "-")" }
    }

    @Test("A correction that moves a dispense to another patient, a cancellation, a history and a recall: exact entries")
    func patientsOfChangesAndReads() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let a1 = try #require(try await client.post("/v1/dispenses", Samples.dispense(
                id: "AUD-1", nam: Self.patientA, handedOver: "2026-11-20T10:00:00-05:00")).json["id"] as? String)
            let b1 = try #require(try await client.post("/v1/dispenses", Samples.dispense(
                id: "AUD-2", nam: Self.patientB, handedOver: "2026-11-21T10:00:00-05:00")).json["id"] as? String)
            let a2 = try #require(try await client.post("/v1/dispenses", Samples.dispense(
                id: "AUD-3", nam: Self.patientA, handedOver: "2026-11-22T10:00:00-05:00")).json["id"] as? String)

            var correction = Samples.dispense(id: "AUD-1", nam: Self.patientB, handedOver: "2026-11-20T10:00:00-05:00")
            correction["reason"] = "wrong patient selected"
            #expect(try await client.post("/v1/dispenses/\(a1)/corrections", correction).status == .created)
            #expect(try await client.post("/v1/dispenses/\(b1)/cancel",
                                          ["status": "cancelled", "reason": "returned"]).status == .created)
            #expect(try await client.get("/v1/dispenses/\(a1)/history").status == .ok)
            let recall = try await client.get("/v1/dispenses?din=02242903")
            #expect((recall.json["dispenses"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [a2, b1, a1])
            #expect(try await client.get("/v1/dispenses?din=00000019").status == .ok)

            try await harness.dependencies.auditLog.flush()
            let entries = try await harness.store.auditEntries(since: nil, limit: 100)
            let seen = entries.map { Seen(action: $0.action, dispenseID: $0.dispenseID, outcome: $0.outcome, patientRef: $0.patientRef) }
            let refA = try #require(entries.first?.patientRef)
            let refB = try #require(entries.dropFirst().first?.patientRef)
            #expect(refA != refB)
            #expect(seen == [
                Seen(action: "POST /v1/dispenses", dispenseID: a1, outcome: 201, patientRef: refA),
                Seen(action: "POST /v1/dispenses", dispenseID: b1, outcome: 201, patientRef: refB),
                Seen(action: "POST /v1/dispenses", dispenseID: a2, outcome: 201, patientRef: refA),
                // The correction: the patient before (A) and after (B).
                Seen(action: "POST /v1/dispenses/{id}/corrections", dispenseID: a1, outcome: 201, patientRef: refA),
                Seen(action: "POST /v1/dispenses/{id}/corrections", dispenseID: a1, outcome: 201, patientRef: refB),
                // The cancellation: the cancelled record's patient.
                Seen(action: "POST /v1/dispenses/{id}/cancel", dispenseID: b1, outcome: 201, patientRef: refB),
                // The history shows both patients' versions: current first.
                Seen(action: "GET /v1/dispenses/{id}/history", dispenseID: a1, outcome: 200, patientRef: refB),
                Seen(action: "GET /v1/dispenses/{id}/history", dispenseID: a1, outcome: 200, patientRef: refA),
                // The recall returned a2 (A), b1 (B), a1 (B): each patient once, in order of the page.
                Seen(action: "GET /v1/dispenses", dispenseID: nil, outcome: 200, patientRef: refA),
                Seen(action: "GET /v1/dispenses", dispenseID: nil, outcome: 200, patientRef: refB),
                // A recall that found nothing: one entry, no patient.
                Seen(action: "GET /v1/dispenses", dispenseID: nil, outcome: 200, patientRef: nil),
            ])
            #expect(try await harness.store.verifyAuditChain().isIntact)
        }
    }

    @Test("A refused correction of a cancelled dispense records both the record's patient and the body's")
    func refusedCorrectionNamesBothPatients() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let id = try #require(try await client.post("/v1/dispenses", Samples.dispense(id: "AUD-9", nam: Self.patientA))
                .json["id"] as? String)
            #expect(try await client.post("/v1/dispenses/\(id)/cancel", ["status": "cancelled", "reason": "r"]).status == .created)
            var correction = Samples.dispense(id: "AUD-9", nam: Self.patientB)
            correction["reason"] = "fix"
            #expect(try await client.post("/v1/dispenses/\(id)/corrections", correction).status == .conflict)
            let entries = try await harness.store.auditEntries(since: nil, limit: 100)
            #expect(entries.count == 4)
            let refA = entries[0].patientRef
            #expect(entries.map(\.outcome) == [201, 201, 409, 409])
            #expect(entries[1].patientRef == refA)
            #expect(entries[2].patientRef == refA)
            #expect(entries[3].patientRef != refA && entries[3].patientRef?.count == 32)
        }
    }
}
