import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxTestSupport
import Testing

@Suite("Recording and changing dispenses through the API")
struct DispenseRouteTests {
    @Test("A new dispense is created with 201, a Location and version 1; a replay returns 200 and the same record")
    func createAndReplay() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let first = try await client.post("/v1/dispenses", Samples.dispense(id: "RX1-1"))
            #expect(first.status == .created)
            let id = try #require(first.json["id"] as? String)
            #expect(first.headers[.location] == "/v1/dispenses/\(id)")
            #expect(first.json["version"] as? Int == 1)
            #expect(first.json["status"] as? String == "completed")
            #expect((first.json["sync"] as? [String: Any])?["state"] as? String == "pending")
            #expect((first.json["patient"] as? [String: Any])?["nam"] as? String == "TREM50020312")

            let replay = try await client.post("/v1/dispenses", Samples.dispense(id: "RX1-1"))
            #expect(replay.status == .ok)
            #expect(replay.json["id"] as? String == id)
            #expect(replay.json["version"] as? Int == 1)
        }
        #expect(try await harness.store.statistics().recordCount == 1)
    }

    @Test("The same pharmacyDispenseId with other content is a 409 problem and changes nothing")
    func conflict() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "RX2-1"))
            let response = try await client.post("/v1/dispenses", Samples.dispense(id: "RX2-1", din: "00000019"))
            #expect(response.status == .conflict)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.json["type"] as? String == "https://pillbox.local/problems/dispense-conflict")
            #expect(response.json["status"] as? Int == 409)
        }
        let stats = try await harness.store.statistics()
        #expect(stats.recordCount == 1)
        #expect(stats.pendingCount == 1)
    }

    @Test("An invalid body lists every failing field path and records nothing")
    func validationProblem() async throws {
        let harness = try APIHarness()
        var body = Samples.dispense(id: "RX3-1")
        body["colour"] = "blue"
        body["daysSupply"] = 400
        body["patient"] = ["nam": "12345678ABCD"]
        let data = Samples.json(body)
        try await harness.test { client in
            let response = try await client.execute(uri: "/v1/dispenses", method: .post, body: ByteBuffer(bytes: data))
            #expect(response.status == .badRequest)
            let errors = try #require(response.json["errors"] as? [[String: String]])
            #expect(errors.map { $0["path"]! } == ["$", "patient.nam", "daysSupply"])
            #expect(errors.map { $0["message"]! } == [
                "has an unknown field (not named here); the known fields are: daysSupply, dosageText, lot, medication, "
                    + "note, patient, pharmacist, pharmacyDispenseId, prescriber, prescriptionId, quantity, whenHandedOver",
                "must be 4 letters followed by 8 digits", "must be between 1 and 365",
            ])
            #expect(!String(buffer: response.body).contains("colour"))
            // The problem never echoes submitted values.
            #expect(!String(buffer: response.body).contains("12345678ABCD"))
        }
        #expect(try await harness.store.statistics().recordCount == 0)
    }

    @Test("A body that is not JSON is a 400 malformed-json problem")
    func malformedJSON() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let response = try await client.execute(uri: "/v1/dispenses", method: .post, body: ByteBuffer(string: "{nope"))
            #expect(response.status == .badRequest)
            #expect(response.json["type"] as? String == "https://pillbox.local/problems/malformed-json")
        }
    }

    @Test("A body that names a member twice is a 400 duplicate-member problem that names nothing, and nothing is recorded; a trailing comma is malformed JSON")
    func duplicateMember() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            // Which quantity was meant? JSONDecoder kept the first; the record would have said 60.
            let valid = String(decoding: Samples.json(Samples.dispense(id: "RX3-9")), as: UTF8.self)
            let body = String(valid.dropLast()) + #","quantity":{"unit":"tablet","value":600}}"#
            let response = try await client.execute(uri: "/v1/dispenses", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(response.json["type"] as? String == "https://pillbox.local/problems/duplicate-member")
            #expect(response.json["detail"] as? String == "an object in the request body names the same member twice, so its "
                    + "value is ambiguous; send each member once (nothing was recorded)")
            #expect(!String(buffer: response.body).contains("quantity"))
            let trailing = try await client.execute(uri: "/v1/dispenses", method: .post,
                                                    body: ByteBuffer(string: String(valid.dropLast()) + ",}"))
            #expect(trailing.status == .badRequest)
            #expect(trailing.json["type"] as? String == "https://pillbox.local/problems/malformed-json")
            let checked = try await client.execute(uri: "/v1/checks", method: .post, body: ByteBuffer(string: body))
            #expect(checked.json["type"] as? String == "https://pillbox.local/problems/duplicate-member")
        }
        #expect(try await harness.store.statistics().recordCount == 0)
    }

    @Test("A body over the configured limit is a 413 problem")
    func bodyTooLarge() async throws {
        let harness = try APIHarness(limits: { var limits = APILimits(); limits.maxBodyBytes = 2048; return limits }())
        try await harness.test { client in
            let response = try await client.post("/v1/dispenses", Samples.dispense(id: "RX4-1", note: String(repeating: "n", count: 3000)))
            #expect(response.status == .contentTooLarge)
            #expect(response.json["type"] as? String == "https://pillbox.local/problems/body-too-large")
            let small = try await client.post("/v1/dispenses", Samples.dispense(id: "RX4-2"))
            #expect(small.status == .created)
        }
    }

    @Test("Corrections and cancellations make new versions; history lists them oldest first")
    func correctionsAndHistory() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let created = try await client.post("/v1/dispenses", Samples.dispense(id: "RX5-1"))
            let id = try #require(created.json["id"] as? String)
            var corrected = Samples.dispense(id: "RX5-1")
            corrected["daysSupply"] = 60
            corrected["reason"] = "wrong days supply"
            let correction = try await client.post("/v1/dispenses/\(id)/corrections", corrected)
            #expect(correction.status == .created)
            #expect(correction.json["version"] as? Int == 2)
            #expect(correction.json["daysSupply"] as? Int == 60)
            #expect(correction.json["reason"] as? String == "wrong days supply")

            let cancel = try await client.post("/v1/dispenses/\(id)/cancel", ["reason": "patient returned it", "status": "cancelled"])
            #expect(cancel.status == .created)
            #expect(cancel.json["version"] as? Int == 3)
            #expect(cancel.json["status"] as? String == "cancelled")

            let again = try await client.post("/v1/dispenses/\(id)/cancel", ["reason": "twice", "status": "cancelled"])
            #expect(again.status == .conflict)

            let current = try await client.get("/v1/dispenses/\(id)")
            #expect(current.json["version"] as? Int == 3)
            let history = try await client.get("/v1/dispenses/\(id)/history")
            let versions = try #require(history.json["versions"] as? [[String: Any]])
            #expect(versions.map { $0["version"] as? Int } == [1, 2, 3])
            #expect(versions.map { $0["status"] as? String } == ["completed", "completed", "cancelled"])
            #expect(versions.map { $0["daysSupply"] as? Int } == [30, 60, 60])
        }
    }

    @Test("Unknown dispense ids are 404 problems for reads and changes")
    func unknownIDs() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            #expect(try await client.get("/v1/dispenses/00000000-0000-0000-0000-000000000000").status == .notFound)
            #expect(try await client.get("/v1/dispenses/nope/history").status == .notFound)
            let cancel = try await client.post("/v1/dispenses/nope/cancel", ["reason": "x", "status": "cancelled"])
            #expect(cancel.status == .notFound)
            #expect(cancel.json["type"] as? String == "https://pillbox.local/problems/not-found")
        }
    }
}
