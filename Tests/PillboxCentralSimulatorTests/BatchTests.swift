import Foundation
import PillboxCentralSimulator
import Testing

@Suite("Batch bundles")
struct BatchTests {
    @Test("Mixed valid and invalid entries get per-entry statuses in order, stored in one transaction")
    func mixedBatch() async throws {
        try await withCentral { central in
            #expect(try await central.put(Dispenses.resource(id: "old")).status == 201)
            var noStatus = Dispenses.resource(id: "b-3")
            noStatus.removeValue(forKey: "status")
            let reply = try await central.batch([
                Dispenses.putEntry(Dispenses.resource(id: "b-1")),
                Dispenses.putEntry(Dispenses.resource(id: "b-2"), method: "POST"),
                Dispenses.putEntry(noStatus),
                Dispenses.putEntry(Dispenses.resource(id: "old", quantity: 10)),
                Dispenses.putEntry(Dispenses.resource(id: "b-5"), url: "Patient/b-5"),
                Dispenses.putEntry(Dispenses.resource(id: "old", quantity: 10)),
                Dispenses.putEntry(Dispenses.resource(id: "b-7")),
            ])
            #expect(reply.status == 200)
            #expect(reply.json["resourceType"] as? String == "Bundle")
            #expect(reply.json["type"] as? String == "batch-response")
            let responses = try #require(reply.json["entry"] as? [[String: Any]]).map { $0["response"] as? [String: Any] ?? [:] }
            #expect(responses.map { $0["status"] as? String } == [
                "201 Created", "405 Method Not Allowed", "422 Unprocessable Entity", "200 OK", "400 Bad Request", "200 OK",
                "201 Created",
            ])
            #expect(responses.map { $0["location"] as? String } == [
                "MedicationDispense/b-1/_history/1", nil, nil, "MedicationDispense/old/_history/2", nil,
                "MedicationDispense/old/_history/2", "MedicationDispense/b-7/_history/1",
            ])
            #expect(responses.map { $0["etag"] as? String } == [#"W/"1""#, nil, nil, #"W/"2""#, nil, #"W/"2""#, #"W/"1""#])
            for index in [1, 2, 4] {
                let outcome = try #require(responses[index]["outcome"] as? [String: Any])
                #expect(outcome["resourceType"] as? String == "OperationOutcome")
            }
            // One transaction: every entry stored by the batch carries the same lastUpdated.
            let batchTimes = Set([0, 3, 6].compactMap { responses[$0]["lastModified"] as? String })
            #expect(batchTimes.count == 1)
            let stored = try await central.server.resources()
            #expect(stored.map(\.id) == ["b-1", "b-7", "old"])
            #expect(Set(stored.map(\.lastUpdated)).count == 1)

            var expected = SimulatorStats()
            expected.requests = 2
            expected.batches = 1
            expected.entriesReceived = 8
            expected.entriesCreated = 3
            expected.entriesUpdated = 1
            expected.entriesUnchanged = 1
            expected.entriesRejected = 3
            expected.resources = 3
            expected.peakRequestsPerSecond = try await central.server.stats().peakRequestsPerSecond
            #expect(try await central.server.stats() == expected)
        }
    }

    @Test("A body that is not a batch Bundle is refused as a whole")
    func notABatch() async throws {
        try await withCentral { central in
            let transaction = try await central.send(
                .POST, central.fhirBase, json: JSONBody.data(["resourceType": "Bundle", "type": "transaction", "entry": []]))
            #expect(transaction.status == 400)
            #expect(transaction.json["resourceType"] as? String == "OperationOutcome")
            let empty = try await central.batch([])
            #expect(empty.status == 200)
            #expect(empty.json["type"] as? String == "batch-response")
            let stats = try await central.server.stats()
            #expect(stats.requests == 2)
            #expect(stats.batches == 1)
            #expect(stats.entriesReceived == 0)
        }
    }
}
