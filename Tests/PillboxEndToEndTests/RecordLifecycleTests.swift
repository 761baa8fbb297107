import Foundation
import PillboxClient
import PillboxTestSupport
import Synchronization
import Testing

@Suite("The real pillboxd over its socket: recording, replays, history, crashes", .serialized)
struct RecordLifecycleTests {
    @Test("A replayed dispense is recognised, a conflicting one refused, corrections kept as history")
    func replayAndHistory() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { Task { await fixture.finish(client) } }
        let first = try await client.post("/v1/dispenses", Samples.dispense(id: "E2E-1"))
        #expect(first.status == 201)
        let id = try #require(first.json?["id"] as? String)
        #expect(first.headers["location"] == "/v1/dispenses/\(id)")
        let replay = try await client.post("/v1/dispenses", Samples.dispense(id: "E2E-1"))
        #expect(replay.status == 200)
        #expect(replay.json?["id"] as? String == id)
        let conflict = try await client.post("/v1/dispenses", Samples.dispense(id: "E2E-1", lot: "OTHER"))
        #expect(conflict.status == 409)
        #expect(conflict.headers["content-type"] == "application/problem+json")

        var corrected = Samples.dispense(id: "E2E-1", lot: "L999")
        corrected["reason"] = "lot number typo"
        #expect(try await client.post("/v1/dispenses/\(id)/corrections", corrected).status == 201)
        let history = try await client.get("/v1/dispenses/\(id)/history")
        let versions = try #require(history.json?["versions"] as? [[String: Any]])
        #expect(versions.map { $0["lot"] as? String } == ["L123", "L999"])
        #expect(versions.map { $0["version"] as? Int } == [1, 2])
        let status = try await client.get("/v1/status")
        #expect(status.json?["records"] as? Int == 1)
        #expect(status.json?["pendingUploads"] as? Int == 2)
    }

    @Test("kill -9 during concurrent intake loses no acknowledged dispense")
    func killNineKeepsAcknowledged() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        let acknowledged = Acknowledged()
        let clients = (0..<16).map { _ in fixture.daemon.client() }
        await withTaskGroup(of: Void.self) { group in
            for (worker, client) in clients.enumerated() {
                group.addTask {
                    for n in 0..<40 {
                        let dispenseID = "K-\(worker)-\(n)"
                        guard let response = try? await client.post("/v1/dispenses", Samples.dispense(id: dispenseID)),
                              response.status == 201, let id = response.json?["id"] as? String else { return }
                        acknowledged.ids.withLock { $0[dispenseID] = id }
                    }
                }
            }
            group.addTask {
                while acknowledged.ids.withLock({ $0.count }) < 150 {
                    try? await Task.sleep(for: .milliseconds(2))
                }
                try? await fixture.daemon.kill9()
            }
        }
        let acked = acknowledged.ids.withLock { $0 }
        #expect(acked.count >= 150)
        #expect(acked.count < 640, "the kill should interrupt intake")

        try await fixture.daemon.start()
        let client = fixture.daemon.client()
        var missing = 0
        for (dispenseID, id) in acked {
            let response = try await client.get("/v1/dispenses/\(id)")
            if response.status != 200 || response.json?["pharmacyDispenseId"] as? String != dispenseID { missing += 1 }
        }
        #expect(missing == 0)
        let records = try await client.get("/v1/status").json?["records"] as? Int ?? 0
        #expect(records >= acked.count)
        await fixture.finish(client)
    }
}

extension RecordLifecycleTests {
    @Test("SIGTERM during concurrent intake exits 0, keeps every acknowledged dispense and leaves an intact audit chain")
    func gracefulStopUnderLoad() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        let acknowledged = Acknowledged()
        let clients = (0..<8).map { _ in fixture.daemon.client() }
        let exitCode = await withTaskGroup(of: Int32?.self) { group in
            for (worker, client) in clients.enumerated() {
                group.addTask {
                    for n in 0..<60 {
                        let dispenseID = "G-\(worker)-\(n)"
                        guard let response = try? await client.post("/v1/dispenses", Samples.dispense(id: dispenseID)),
                              response.status == 201, let id = response.json?["id"] as? String else { return nil }
                        acknowledged.ids.withLock { $0[dispenseID] = id }
                    }
                    return nil
                }
            }
            group.addTask {
                while acknowledged.ids.withLock({ $0.count }) < 80 { try? await Task.sleep(for: .milliseconds(2)) }
                return try? await fixture.daemon.stop()
            }
            var code: Int32?
            for await result in group { if let result { code = result } }
            return code
        }
        #expect(exitCode == 0)
        #expect(fixture.daemon.output.contains("Pillbox stopped"))
        let acked = acknowledged.ids.withLock { $0 }
        try await fixture.daemon.start()
        let client = fixture.daemon.client()
        var missing = 0
        for (_, id) in acked where try await client.get("/v1/dispenses/\(id)").status != 200 { missing += 1 }
        #expect(missing == 0)
        let audit = try await client.get("/v1/audit?verify=true&limit=1")
        #expect((audit.json?["chain"] as? [String: Any])?["intact"] as? Bool == true)
        #expect(try await fixture.daemon.stop() == 0)
    }
}

/// pharmacyDispenseId -> id of every acknowledged dispense.
final class Acknowledged: Sendable {
    let ids = Mutex<[String: String]>([:])
}
