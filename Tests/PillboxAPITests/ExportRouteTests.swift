import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("GET /v1/patients/{nam}/export: a patient's whole local record as a FHIR Bundle")
struct ExportRouteTests {
    static let patientA = "TREM50020312"
    static let patientB = "ABCD12345678"

    /// Records A1..A4 for patient A (A2 cancelled, A3 entered in error, A4 corrected) and B1 for B.
    static func record(_ client: any TestClientProtocol) async throws {
        var ids: [String: String] = [:]
        for (name, nam) in [("EXP-A1", patientA), ("EXP-A2", patientA), ("EXP-A3", patientA), ("EXP-A4", patientA), ("EXP-B1", patientB)] {
            ids[name] = try #require(try await client.post("/v1/dispenses", Samples.dispense(id: name, nam: nam)).json["id"] as? String)
        }
        #expect(try await client.post("/v1/dispenses/\(ids["EXP-A2"]!)/cancel", ["status": "cancelled", "reason": "returned"]).status == .created)
        #expect(try await client.post("/v1/dispenses/\(ids["EXP-A3"]!)/cancel", ["status": "entered-in-error", "reason": "wrong"]).status == .created)
        var correction = Samples.dispense(id: "EXP-A4", nam: patientA, lot: "L999")
        correction["reason"] = "lot"
        #expect(try await client.post("/v1/dispenses/\(ids["EXP-A4"]!)/corrections", correction).status == .created)
    }

    @Test("The bundle holds exactly the patient's dispenses at their current version, cancelled and entered-in-error included, and the export is audited")
    func exportsExactlyThePatient() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            try await Self.record(client)
            let response = try await client.get("/v1/patients/trem%205002%200312/export")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/fhir+json")
            let bundle = response.json
            #expect(bundle["resourceType"] as? String == "Bundle")
            #expect(bundle["type"] as? String == "collection")
            #expect((bundle["timestamp"] as? String)?.isEmpty == false)
            let entries = try #require(bundle["entry"] as? [[String: Any]])
            #expect(entries.count == 5)
            let resources = entries.compactMap { $0["resource"] as? [String: Any] }
            #expect(resources.map { $0["resourceType"] as? String } == ["Patient"] + Array(repeating: "MedicationDispense", count: 4))
            let ids = resources.compactMap { $0["id"] as? String }
            #expect(Set(ids).count == 5 && ids.allSatisfy { $0.hasPrefix("pbx-") && $0.count == 36 })
            #expect(entries.allSatisfy { ($0["fullUrl"] as? String)?.hasPrefix("urn:uuid:") == true })

            let patient = resources[0]
            #expect((patient["identifier"] as? [[String: Any]])?.first?["value"] as? String == Self.patientA)
            #expect((patient["name"] as? [[String: Any]])?.first?["family"] as? String == "Tremblay")

            let dispenses = resources.dropFirst()
            var byID: [String: [String: Any]] = [:]
            for dispense in dispenses {
                let value = try #require((dispense["identifier"] as? [[String: Any]])?.first?["value"] as? String)
                byID[value] = dispense
                let subject = (dispense["subject"] as? [String: Any])?["identifier"] as? [String: Any]
                #expect(subject?["value"] as? String == Self.patientA)
            }
            #expect(Set(byID.keys) == ["EXP-A1", "EXP-A2", "EXP-A3", "EXP-A4"])
            #expect(byID["EXP-A1"]?["status"] as? String == "completed")
            #expect(byID["EXP-A2"]?["status"] as? String == "cancelled")
            #expect(byID["EXP-A3"]?["status"] as? String == "entered-in-error")
            #expect(byID["EXP-A4"]?["status"] as? String == "completed")
            let version = ((byID["EXP-A4"]?["extension"] as? [[String: Any]])?.first { ($0["url"] as? String)?.hasSuffix("record-version") == true })?["valueInteger"] as? Int
            #expect(version == 2)
            #expect(!String(buffer: response.body).contains(Self.patientB))

            try await harness.dependencies.auditLog.flush()
            let audit = try await harness.store.auditEntries(since: nil, limit: 100)
            let refA = audit.first { $0.action == "POST /v1/dispenses" }?.patientRef
            let last = try #require(audit.last)
            #expect(last.action == "GET /v1/patients/{nam}/export")
            #expect(last.outcome == 200)
            #expect(last.patientRef == refA && refA != nil)
            #expect(audit.filter { $0.action == "GET /v1/patients/{nam}/export" }.count == 1)
        }
    }

    @Test("A patient with nothing recorded gets a bundle with the Patient only")
    func nothingRecorded() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let response = try await client.get("/v1/patients/\(Self.patientB)/export")
            #expect(response.status == .ok)
            let entries = try #require(response.json["entry"] as? [[String: Any]])
            #expect(entries.compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String } == ["Patient"])
        }
    }

    @Test("Roles read and dispense are refused with 403; a malformed NAM is 400 without echo; over limits.maxExportDispenses is 409")
    func refusals() async throws {
        var limits = APILimits()
        limits.maxExportDispenses = 3
        let harness = try APIHarness(limits: limits)
        try await harness.test { client in
            try await Self.record(client)
            for role in [APIHarness.reader, APIHarness.dispenser] {
                harness.as(role)
                let refused = try await client.get("/v1/patients/\(Self.patientA)/export")
                #expect(refused.status == .forbidden)
                #expect(refused.json["type"] as? String == "https://pillbox.local/problems/forbidden")
                #expect(!String(buffer: refused.body).contains(Self.patientA))
            }
            harness.as(APIHarness.root)
            let malformed = try await client.get("/v1/patients/ZQXW9876543/export")
            #expect(malformed.status == .badRequest)
            #expect(!String(buffer: malformed.body).contains("ZQXW9876543"))
            let tooMany = try await client.execute(uri: "/v1/patients/\(Self.patientA)/export", method: .get,
                                                   headers: [.acceptLanguage: "fr-CA"])
            #expect(tooMany.status == .conflict)
            #expect(tooMany.json["type"] as? String == "https://pillbox.local/problems/export-too-large")
            #expect(tooMany.json["title"] as? String == "Exportation trop volumineuse")
            #expect(try await client.get("/v1/patients/\(Self.patientB)/export").status == .ok)
        }
    }
}
