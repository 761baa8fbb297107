import Foundation
import PillboxCentralSimulator
import Testing

@Suite("PUT and read of one MedicationDispense")
struct UpdateTests {
    @Test("A first PUT creates version 1, a changed one makes version 2, an identical resend keeps it")
    func createUpdateUnchanged() async throws {
        try await withCentral { central in
            let created = try await central.put(Dispenses.resource(id: "d-1"))
            #expect(created.status == 201)
            #expect(created.header("ETag") == #"W/"1""#)
            #expect(created.header("Location") == "http://127.0.0.1:\(central.fhirPort)/fhir/MedicationDispense/d-1/_history/1")
            #expect(created.header("Content-Type") == "application/fhir+json")
            let meta = try #require(created.json["meta"] as? [String: Any])
            #expect(meta["versionId"] as? String == "1")
            let firstUpdated = try #require(meta["lastUpdated"] as? String)

            // Same content, even with a stale meta from the client: unchanged, version kept.
            var resend = Dispenses.resource(id: "d-1")
            resend["meta"] = ["versionId": "7", "lastUpdated": "2020-01-01T00:00:00Z"]
            let unchanged = try await central.put(resend)
            #expect(unchanged.status == 200)
            #expect(unchanged.header("ETag") == #"W/"1""#)
            #expect((unchanged.json["meta"] as? [String: Any])?["lastUpdated"] as? String == firstUpdated)

            let updated = try await central.put(Dispenses.resource(id: "d-1", quantity: 30))
            #expect(updated.status == 200)
            #expect(updated.header("ETag") == #"W/"2""#)
            #expect(updated.header("Location")?.hasSuffix("/fhir/MedicationDispense/d-1/_history/2") == true)
            #expect((updated.json["quantity"] as? [String: Any])?["value"] as? Int == 30)

            let read = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense/d-1")
            #expect(read.status == 200)
            #expect(read.header("ETag") == #"W/"2""#)
            #expect((read.json["meta"] as? [String: Any])?["versionId"] as? String == "2")

            let stored = try await central.server.resources()
            #expect(stored.map(\.id) == ["d-1"])
            #expect(stored.map(\.versionId) == [2])

            var expected = SimulatorStats()
            expected.requests = 4
            expected.entriesReceived = 3
            expected.entriesCreated = 1
            expected.entriesUnchanged = 1
            expected.entriesUpdated = 1
            expected.reads = 1
            expected.resources = 1
            expected.peakRequestsPerSecond = try await central.server.stats().peakRequestsPerSecond
            #expect(try await central.server.stats() == expected)
            #expect((1...4).contains(expected.peakRequestsPerSecond))
        }
    }

    @Test("Invalid resources get 400 or 422 OperationOutcomes and store nothing")
    func invalidResources() async throws {
        try await withCentral { central in
            var missingStatus = Dispenses.resource(id: "d-2")
            missingStatus.removeValue(forKey: "status")
            var missingSubject = Dispenses.resource(id: "d-3")
            missingSubject["subject"] = ["identifier": ["system": Dispenses.system]]
            var wrongType = Dispenses.resource(id: "d-4")
            wrongType["resourceType"] = "Patient"
            let cases: [(reply: Reply, status: Int, code: String)] = [
                (try await central.put(Dispenses.resource(id: "other"), id: "d-1"), 400, "invalid"),
                (try await central.put(missingStatus), 422, "required"),
                (try await central.put(missingSubject), 422, "required"),
                (try await central.put(wrongType), 400, "invalid"),
                (try await central.put(Dispenses.resource(id: "bad_id!"), id: "bad_id!"), 400, "invalid"),
                (try await central.send(.PUT, "\(central.fhirBase)/MedicationDispense/d-5", json: Data("{not json".utf8)),
                 400, "invalid"),
                (try await central.send(.PUT, "\(central.fhirBase)/MedicationDispense/d-6",
                                        json: JSONBody.data(Dispenses.resource(id: "d-6")), contentType: "text/plain"),
                 415, "not-supported"),
            ]
            for (reply, status, code) in cases {
                #expect(reply.status == status)
                #expect(reply.header("Content-Type") == "application/fhir+json")
                #expect(reply.json["resourceType"] as? String == "OperationOutcome")
                let issue = (reply.json["issue"] as? [[String: Any]])?.first
                #expect(issue?["severity"] as? String == "error")
                #expect(issue?["code"] as? String == code)
                #expect((issue?["diagnostics"] as? String)?.isEmpty == false)
            }
            // application/json is accepted as well as application/fhir+json.
            let plainJSON = try await central.send(.PUT, "\(central.fhirBase)/MedicationDispense/d-7",
                                                   json: JSONBody.data(Dispenses.resource(id: "d-7")),
                                                   contentType: "application/json; charset=utf-8")
            #expect(plainJSON.status == 201)

            let stats = try await central.server.stats()
            #expect(stats.entriesReceived == 8)
            #expect(stats.entriesRejected == 7)
            #expect(stats.entriesCreated == 1)
            #expect(stats.resources == 1)
        }
    }

    @Test("A stored resource keeps every element as sent: text escapes, numbers, booleans, nesting")
    func contentKept() async throws {
        try await withCentral { central in
            var resource = Dispenses.resource(id: "keep-1")
            resource["note"] = [["text": "quote \" backslash \\ newline \n tab \t bell \u{7} accents éà emoji 😀 slash /"]]
            resource["quantity"] = ["value": 2.5, "unit": "mL"]
            resource["substitution"] = ["wasSubstituted": false, "reason": [["text": "none"]]]
            resource["extension"] = [["url": "https://pillbox.example/ext", "valueInteger": -12345678901234]]
            #expect(try await central.put(resource).status == 201)
            let read = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense/keep-1")
            var stored = read.json
            stored.removeValue(forKey: "meta")
            #expect(NSDictionary(dictionary: stored).isEqual(to: resource))
            // Sent again as stored (meta included): unchanged.
            #expect(try await central.send(.PUT, "\(central.fhirBase)/MedicationDispense/keep-1", json: read.body)
                .header("ETag") == #"W/"1""#)
            #expect(try await central.server.stats().entriesUnchanged == 1)
        }
    }

    @Test("A body over maxBodyBytes gets 413 and the connection keeps serving")
    func bodyLimit() async throws {
        try await withCentral({ $0.maxBodyBytes = 2_000 }) { central in
            var large = Dispenses.resource(id: "big")
            large["note"] = [["text": String(repeating: "x", count: 5_000)]]
            let tooLarge = try await central.put(large)
            #expect(tooLarge.status == 413)
            #expect(((tooLarge.json["issue"] as? [[String: Any]])?.first?["code"] as? String) == "too-costly")
            #expect(try await central.put(Dispenses.resource(id: "small")).status == 201)
            let stats = try await central.server.stats()
            #expect(stats.entriesReceived == 2)
            #expect(stats.entriesRejected == 1)
            #expect(stats.entriesCreated == 1)
        }
    }

    @Test("Reading an unknown id or route answers 404 with an OperationOutcome")
    func notFound() async throws {
        try await withCentral { central in
            let missing = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense/nope")
            #expect(missing.status == 404)
            #expect(((missing.json["issue"] as? [[String: Any]])?.first?["code"] as? String) == "not-found")
            let noRoute = try await central.send(.GET, "\(central.fhirBase)/Patient/1")
            #expect(noRoute.status == 404)
            #expect(noRoute.json["resourceType"] as? String == "OperationOutcome")
            let stats = try await central.server.stats()
            #expect(stats.requests == 2)
            #expect(stats.reads == 1)
        }
    }

    @Test("The CapabilityStatement names FHIR 4.0.1, MedicationDispense interactions and batch")
    func metadata() async throws {
        try await withCentral { central in
            let reply = try await central.send(.GET, "\(central.fhirBase)/metadata")
            #expect(reply.status == 200)
            #expect(reply.json["resourceType"] as? String == "CapabilityStatement")
            #expect(reply.json["fhirVersion"] as? String == "4.0.1")
            let rest = try #require((reply.json["rest"] as? [[String: Any]])?.first)
            #expect(rest["mode"] as? String == "server")
            #expect((rest["interaction"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["batch"])
            let resource = try #require((rest["resource"] as? [[String: Any]])?.first)
            #expect(resource["type"] as? String == "MedicationDispense")
            let codes = (resource["interaction"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(codes == ["read", "update", "search-type"])
        }
    }
}
