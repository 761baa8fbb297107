import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxTestSupport
import Testing

@Suite("Profiles, recalls, status, health and metrics")
struct QueryRouteTests {
    @Test("A profile lists the patient's dispenses newest first, marked local, honouring since")
    func profile() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "P-1", handedOver: "2026-01-10T10:00:00-05:00"))
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "P-2", handedOver: "2026-03-10T10:00:00-05:00"))
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "P-3", nam: "ABCD12345678"))
            let errorOne = try await client.post("/v1/dispenses", Samples.dispense(id: "P-4", handedOver: "2026-04-10T10:00:00-05:00"))
            let errorID = try #require(errorOne.json["id"] as? String)
            _ = try await client.post("/v1/dispenses/\(errorID)/cancel", ["reason": "wrong patient", "status": "entered-in-error"])

            let all = try await client.get("/v1/patients/trem%205002%200312/medications")
            #expect(all.status == .ok)
            #expect(all.json["nam"] as? String == "TREM50020312")
            let entries = try #require(all.json["medications"] as? [[String: Any]])
            #expect(entries.map { $0["pharmacyDispenseId"] as? String } == ["P-2", "P-1"])
            #expect(entries.map { $0["source"] as? String } == ["local", "local"])

            let recent = try await client.get("/v1/patients/TREM50020312/medications?since=2026-02-01")
            #expect((recent.json["medications"] as? [[String: Any]])?.map { $0["pharmacyDispenseId"] as? String } == ["P-2"])

            let bad = try await client.get("/v1/patients/TREM50020312/medications?since=yesterday")
            #expect(bad.status == .badRequest)
            #expect((bad.json["errors"] as? [[String: String]])?.first?["path"] == "since")
            #expect(try await client.get("/v1/patients/NOTANAM/medications").status == .badRequest)
        }
    }

    @Test("A recall pages through a product's fills in a period, optionally one lot")
    func recall() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            for day in 1...7 {
                let lot = day <= 4 ? "LOT-A" : "LOT-B"
                _ = try await client.post("/v1/dispenses", Samples.dispense(
                    id: "R-\(day)", lot: lot, handedOver: String(format: "2026-05-%02dT12:00:00Z", day)))
            }
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "R-other", din: "00000019",
                                                                        handedOver: "2026-05-03T12:00:00Z"))
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let uri = "/v1/dispenses?din=02242903&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.get(uri)
                #expect(page.status == .ok)
                seen += (page.json["dispenses"] as? [[String: Any]] ?? []).compactMap { $0["pharmacyDispenseId"] as? String }
                cursor = page.json["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == ["R-7", "R-6", "R-5", "R-4", "R-3", "R-2", "R-1"])

            let lotB = try await client.get("/v1/dispenses?din=02242903&lot=LOT-B&from=2026-05-06&to=2026-05-06")
            #expect((lotB.json["dispenses"] as? [[String: Any]])?.map { $0["pharmacyDispenseId"] as? String } == ["R-6"])

            #expect(try await client.get("/v1/dispenses?din=123").status == .badRequest)
            #expect(try await client.get("/v1/dispenses?din=02242903&cursor=garbage").status == .badRequest)
            #expect(try await client.get("/v1/dispenses?din=02242903&limit=0").status == .badRequest)
        }
    }

    @Test("Status reports counts, pending uploads, key ids and local-only mode")
    func status() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "S-1"))
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "S-2"))
            let status = try await client.get("/v1/status")
            #expect(status.status == .ok)
            #expect(status.json["records"] as? Int == 2)
            #expect(status.json["pendingUploads"] as? Int == 2)
            #expect(status.json["deadLetters"] as? Int == 0)
            #expect(status.json["keyId"] as? String == harness.store.masterKeyID)
            #expect(status.json["dataKeyId"] as? String == harness.store.dataKeyID)
            #expect((status.json["databaseBytes"] as? Int ?? 0) > 0)
            #expect(status.json["mode"] as? String == "local-only")
            #expect((status.json["central"] as? [String: Any])?["configured"] as? Bool == false)
        }
    }

    @Test("Health is 200 while the store is writable and 503 once it is closed")
    func health() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            #expect(try await client.get("/v1/health").status == .ok)
            try harness.store.close()
            #expect(try await client.get("/v1/health").status == .serviceUnavailable)
        }
    }

    @Test("Metrics expose store gauges in Prometheus text")
    func metrics() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "M-1"))
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == .ok)
            let text = String(buffer: metrics.body)
            #expect(text.contains("\npillbox_records 1.0\n") || text.contains("\npillbox_records 1\n"))
            #expect(text.contains("pillbox_outbox_pending 1"))
            #expect(!text.contains("TREM50020312"))
        }
    }

    @Test("Unknown routes are 404 problems")
    func unknownRoute() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let response = try await client.get("/v1/nothing-here")
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }
}
