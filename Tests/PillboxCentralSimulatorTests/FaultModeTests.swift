import AsyncHTTPClient
import Foundation
import PillboxCentralSimulator
import Testing

@Suite("Fault modes seen by a real HTTP client")
struct FaultModeTests {
    @Test("down closes each new connection unread and earlier ones at their next request; up serves again")
    func down() async throws {
        try await withCentral { central in
            // A pooled connection opened while up.
            #expect(try await central.send(.GET, "\(central.fhirBase)/metadata").status == 200)
            #expect(try await central.setMode(#"{"mode":"down"}"#).status == 200)

            // One bare connection: closed without a byte of answer, counted once.
            let probe = try TCPProbe.exchange(port: central.fhirPort,
                                              request: "GET /fhir/metadata HTTP/1.1\r\nHost: central\r\n\r\n")
            #expect(probe.closedByServer)
            #expect(probe.received.isEmpty)
            #expect(try await central.server.stats().refusedConnections == 1)

            // A real client on its pooled connection, then a fresh one: connection errors.
            // (The client may retry on a new connection, so these add at least one each.)
            let pooled = await #expect(throws: (any Error).self) {
                try await central.put(Dispenses.resource(id: "x-1"))
            }
            #expect(isConnectionLoss(pooled))
            let afterPooled = try await central.server.stats().refusedConnections
            #expect(afterPooled >= 2)
            let fresh = HTTPClient(eventLoopGroupProvider: .singleton)
            let refused = await #expect(throws: (any Error).self) {
                try await central.send(.GET, "\(central.fhirBase)/metadata", using: fresh)
            }
            try await fresh.shutdown()
            #expect(isConnectionLoss(refused))
            var stats = try await central.server.stats()
            #expect(stats.refusedConnections > afterPooled)
            #expect(stats.requests == 1)
            #expect(stats.entriesReceived == 0)
            #expect(try await central.server.resources().isEmpty)

            central.server.setMode(.up)
            #expect(try await central.put(Dispenses.resource(id: "x-1")).status == 201)
            stats = try await central.server.stats()
            #expect(stats.requests == 2)
            #expect(stats.entriesCreated == 1)
        }
    }

    @Test("503 and 429 answer with Retry-After and an OperationOutcome and store nothing")
    func unavailableAndThrottled() async throws {
        try await withCentral { central in
            #expect(try await central.setMode(#"{"mode":"503","retryAfterSeconds":2}"#).status == 200)
            let unavailable = try await central.put(Dispenses.resource(id: "u-1"))
            #expect(unavailable.status == 503)
            #expect(unavailable.header("Retry-After") == "2")
            #expect(unavailable.json["resourceType"] as? String == "OperationOutcome")

            central.server.setMode(.tooManyRequests(retryAfterSeconds: 7))
            let throttled = try await central.batch([Dispenses.putEntry(Dispenses.resource(id: "u-2"))])
            #expect(throttled.status == 429)
            #expect(throttled.header("Retry-After") == "7")
            #expect(throttled.header("Content-Type") == "application/fhir+json")

            central.server.setMode(.unavailable())
            #expect(try await central.send(.GET, "\(central.fhirBase)/metadata").header("Retry-After") == "5")

            var expected = SimulatorStats()
            expected.requests = 3
            expected.faultResponses = 3
            expected.peakRequestsPerSecond = try await central.server.stats().peakRequestsPerSecond
            #expect(try await central.server.stats() == expected)
            #expect(try await central.server.resources().isEmpty)
        }
    }

    @Test("slow delays each answer by at least delaySeconds, then serves normally")
    func slow() async throws {
        try await withCentral { central in
            central.server.setMode(.slow(delaySeconds: 0.4))
            let clock = ContinuousClock()
            let start = clock.now
            let reply = try await central.put(Dispenses.resource(id: "s-1"))
            let elapsed = clock.now - start
            #expect(reply.status == 201)
            #expect(elapsed >= .milliseconds(400))
            #expect(try await central.server.stats().entriesCreated == 1)
        }
    }

    @Test("flaky with failureRate 1 fails every request with 503, with 0 none")
    func flaky() async throws {
        try await withCentral { central in
            #expect(try await central.setMode(#"{"mode":"flaky","failureRate":1.0}"#).status == 200)
            for index in 1...5 {
                #expect(try await central.put(Dispenses.resource(id: "f-\(index)")).status == 503)
            }
            central.server.setMode(.flaky(failureRate: 0))
            for index in 1...5 {
                #expect(try await central.put(Dispenses.resource(id: "f-\(index)")).status == 201)
            }
            let stats = try await central.server.stats()
            #expect(stats.requests == 10)
            #expect(stats.faultResponses == 5)
            #expect(stats.entriesReceived == 5)
            #expect(stats.entriesCreated == 5)
            #expect(stats.resources == 5)
        }
    }

    @Test("flaky with a seed fails the same requests every time")
    func flakySeeded() async throws {
        try await withCentral { central in
            var runs: [[Int]] = []
            for _ in 1...2 {
                central.server.setMode(.flaky(failureRate: 0.5, seed: 42))
                var statuses: [Int] = []
                for _ in 1...12 {
                    statuses.append(try await central.send(.GET, "\(central.fhirBase)/metadata").status)
                }
                runs.append(statuses)
            }
            #expect(runs[0] == runs[1])
            #expect(runs[0].contains(503))
            #expect(runs[0].contains(200))
        }
    }

    @Test("drop-after-commit stores the PUT and the batch but the client gets no answer")
    func dropAfterCommit() async throws {
        try await withCentral { central in
            #expect(try await central.setMode(#"{"mode":"drop-after-commit"}"#).status == 200)
            let putError = await #expect(throws: (any Error).self) {
                try await central.put(Dispenses.resource(id: "k-1"))
            }
            #expect(isConnectionLoss(putError))
            let batchError = await #expect(throws: (any Error).self) {
                try await central.batch([Dispenses.putEntry(Dispenses.resource(id: "k-2")),
                                         Dispenses.putEntry(Dispenses.resource(id: "k-3"))])
            }
            #expect(isConnectionLoss(batchError))
            #expect(try await central.server.resources().map(\.id) == ["k-1", "k-2", "k-3"])

            // The idempotent resend after recovery: same content, same version.
            central.server.setMode(.up)
            let resend = try await central.put(Dispenses.resource(id: "k-1"))
            #expect(resend.status == 200)
            #expect(resend.header("ETag") == #"W/"1""#)

            var expected = SimulatorStats()
            expected.requests = 3
            expected.batches = 1
            expected.entriesReceived = 4
            expected.entriesCreated = 3
            expected.entriesUnchanged = 1
            expected.droppedResponses = 2
            expected.resources = 3
            expected.peakRequestsPerSecond = try await central.server.stats().peakRequestsPerSecond
            #expect(try await central.server.stats() == expected)
        }
    }

    @Test("reject answers 422 only for entries whose identifier starts with the prefix")
    func reject() async throws {
        try await withCentral { central in
            #expect(try await central.setMode(#"{"mode":"reject","rejectIdentifierPrefix":"BAD-"}"#).status == 200)
            let reply = try await central.batch([
                Dispenses.putEntry(Dispenses.resource(id: "r-1", identifier: "OK-1")),
                Dispenses.putEntry(Dispenses.resource(id: "r-2", identifier: "BAD-2")),
                Dispenses.putEntry(Dispenses.resource(id: "r-3", identifier: "OK-BAD-3")),
            ])
            let responses = (reply.json["entry"] as? [[String: Any]] ?? []).map { $0["response"] as? [String: Any] ?? [:] }
            #expect(responses.map { $0["status"] as? String } == ["201 Created", "422 Unprocessable Entity", "201 Created"])
            let outcome = responses[1]["outcome"] as? [String: Any]
            #expect(((outcome?["issue"] as? [[String: Any]])?.first?["code"] as? String) == "business-rule")

            let single = try await central.put(Dispenses.resource(id: "r-4", identifier: "BAD-4"))
            #expect(single.status == 422)
            #expect(single.json["resourceType"] as? String == "OperationOutcome")

            #expect(try await central.server.resources().map(\.id) == ["r-1", "r-3"])
            let stats = try await central.server.stats()
            #expect(stats.entriesReceived == 4)
            #expect(stats.entriesRejected == 2)
            #expect(stats.entriesCreated == 2)
        }
    }
}
