import Foundation
import PillboxCentralSimulator
import Testing

@Suite("Systemic refusal and credential fault modes")
struct SystemicFaultModeTests {
    @Test("reject-all refuses every entry (batch and PUT) with its status, stores nothing, counts each entry once")
    func rejectAll() async throws {
        try await withCentral { central in
            #expect(try await central.setMode(#"{"mode":"reject-all"}"#).status == 200)
            let reply = try await central.batch([
                Dispenses.putEntry(Dispenses.resource(id: "s-1", identifier: "OK-1")),
                Dispenses.putEntry(Dispenses.resource(id: "s-2", identifier: "OK-2")),
            ])
            #expect(reply.status == 200)
            let responses = (reply.json["entry"] as? [[String: Any]] ?? []).map { $0["response"] as? [String: Any] ?? [:] }
            #expect(responses.map { $0["status"] as? String } == ["422 Unprocessable Entity", "422 Unprocessable Entity"])
            #expect(try await central.put(Dispenses.resource(id: "s-3")).status == 422)

            #expect(try await central.setMode(#"{"mode":"reject-all","rejectStatus":409}"#).status == 200)
            let conflict = try await central.batch([Dispenses.putEntry(Dispenses.resource(id: "s-4"))])
            let status = ((conflict.json["entry"] as? [[String: Any]])?.first?["response"] as? [String: Any])?["status"] as? String
            #expect(status?.hasPrefix("409") == true)

            #expect(try await central.server.resources().isEmpty)
            let stats = try await central.server.stats()
            #expect(stats.requests == 3)
            #expect(stats.batches == 2)
            #expect(stats.entriesReceived == 4)
            #expect(stats.entriesRejected == 4)
            #expect(stats.entriesCreated == 0)
            #expect(stats.refusedBundles == 0)
        }
    }

    @Test("reject-bundles answers every batch with 400 and an OperationOutcome; single PUTs and reads still work")
    func rejectBundles() async throws {
        try await withCentral { central in
            #expect(try await central.setMode(#"{"mode":"reject-bundles"}"#).status == 200)
            let reply = try await central.batch([Dispenses.putEntry(Dispenses.resource(id: "b-1"))])
            #expect(reply.status == 400)
            #expect(reply.json["resourceType"] as? String == "OperationOutcome")
            central.server.setMode(.rejectBundles(status: 413))
            #expect(try await central.batch([Dispenses.putEntry(Dispenses.resource(id: "b-2"))]).status == 413)
            #expect(try await central.put(Dispenses.resource(id: "b-3")).status == 201)
            #expect(try await central.server.resources().map(\.id) == ["b-3"])
            let stats = try await central.server.stats()
            #expect(stats.requests == 3)
            #expect(stats.refusedBundles == 2)
            #expect(stats.batches == 0)
            #expect(stats.entriesReceived == 1)
            #expect(stats.entriesCreated == 1)
        }
    }

    @Test("forbidden answers 403 to everything but GET metadata, which stays anonymous")
    func forbidden() async throws {
        try await withCentral { central in
            #expect(try await central.setMode(#"{"mode":"forbidden"}"#).status == 200)
            #expect(try await central.send(.GET, "\(central.fhirBase)/metadata").status == 200)
            #expect(try await central.send(.GET, "\(central.fhirBase)/MedicationDispense?_summary=count").status == 403)
            #expect(try await central.batch([Dispenses.putEntry(Dispenses.resource(id: "f-1"))]).status == 403)
            let stats = try await central.server.stats()
            #expect(stats.requests == 3)
            #expect(stats.faultResponses == 2)
            #expect(stats.entriesReceived == 0)
        }
    }

    @Test("_summary=count answers the total and no resources (the uploader's credential check)")
    func summaryCount() async throws {
        try await withCentral { central in
            #expect(try await central.put(Dispenses.resource(id: "c-1")).status == 201)
            let reply = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense?_summary=count")
            #expect(reply.status == 200)
            #expect(reply.json["type"] as? String == "searchset")
            #expect(reply.json["total"] as? Int == 1)
            #expect(reply.json["entry"] == nil)
        }
    }

    @Test("A reject status outside 4xx is refused by the admin listener")
    func badRejectStatus() async throws {
        try await withCentral { central in
            let reply = try await central.setMode(#"{"mode":"reject-all","rejectStatus":503}"#)
            #expect(reply.status == 400)
            #expect((reply.json["detail"] as? String)?.contains("rejectStatus") == true)
            #expect(central.server.mode == .up)
        }
    }
}
