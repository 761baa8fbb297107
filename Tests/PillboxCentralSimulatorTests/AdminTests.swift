import Foundation
import PillboxCentralSimulator
import Testing

@Suite("Admin listener")
struct AdminTests {
    @Test("Mode can be set and read; an unknown mode is a 400 that lists the valid ones")
    func mode() async throws {
        try await withCentral { central in
            let set = try await central.setMode(#"{"mode":"503","retryAfterSeconds":2}"#)
            #expect(set.status == 200)
            #expect(set.json["mode"] as? String == "503")
            #expect(set.json["retryAfterSeconds"] as? Int == 2)
            #expect(central.server.mode == .unavailable(retryAfterSeconds: 2))
            let read = try await central.send(.GET, "\(central.adminBase)/mode")
            #expect(read.json["mode"] as? String == "503")

            let unknown = try await central.setMode(#"{"mode":"sideways"}"#)
            #expect(unknown.status == 400)
            let detail = unknown.json["detail"] as? String ?? ""
            #expect(detail.contains("up, down, 503, 429, slow, flaky, drop-after-commit, reject, reject-all, reject-bundles, forbidden"))
            let badRate = try await central.setMode(#"{"mode":"flaky","failureRate":2}"#)
            #expect(badRate.status == 400)
            let noPrefix = try await central.setMode(#"{"mode":"reject"}"#)
            #expect(noPrefix.status == 400)
            #expect(central.server.mode == .unavailable(retryAfterSeconds: 2))
            // The admin listener is never faulty.
            #expect(try await central.send(.GET, "\(central.adminBase)/stats").status == 200)
        }
    }

    @Test("Stats, resources and reset over HTTP")
    func statsResourcesReset() async throws {
        try await withCentral { central in
            #expect(try await central.put(Dispenses.resource(id: "a-1")).status == 201)
            #expect(try await central.put(Dispenses.resource(id: "a-1", quantity: 1)).status == 200)
            let stats = try await central.send(.GET, "\(central.adminBase)/stats")
            #expect(stats.status == 200)
            let decoded = try JSONDecoder().decode(SimulatorStats.self, from: stats.body)
            #expect(decoded.entriesCreated == 1)
            #expect(decoded.entriesUpdated == 1)
            #expect(decoded.resources == 1)

            let resources = try await central.send(.GET, "\(central.adminBase)/resources")
            let items = try #require(try JSONSerialization.jsonObject(with: resources.body) as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["id"] as? String == "a-1")
            #expect(items.first?["versionId"] as? Int == 2)
            #expect(items.first?["lastUpdated"] as? String != nil)
            #expect(((items.first?["resource"] as? [String: Any])?["quantity"] as? [String: Any])?["value"] as? Int == 1)

            let reset = try await central.send(.POST, "\(central.adminBase)/reset")
            #expect(reset.status == 200)
            #expect(try JSONDecoder().decode(SimulatorStats.self, from: reset.body) == SimulatorStats())
            #expect(try await central.server.resources().isEmpty)
            #expect(try await central.put(Dispenses.resource(id: "a-1")).status == 201)
        }
    }
}
