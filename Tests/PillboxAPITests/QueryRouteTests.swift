import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import PillboxAPI
import PillboxCrypto
import PillboxStore
import PillboxTestSupport
import Prometheus
import Synchronization
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

/// A corrupt row in a profile or a recall: the rest is served, that entry is flagged by id.
@Suite("Profiles and recalls with an unreadable entry")
struct UnreadableEntryRouteTests {
    static let quiet = Logger(label: "pillbox.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` against the router of a store at `path` that logs to `logger`.
    static func withAPI(path: String, key: SecretKey, logger: Logger,
                        _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let store = try Store.open(path: path, masterKey: key, logger: logger)
        defer { try? store.close() }
        let dependencies = APIDependencies(
            store: store, auditLog: AuditLog(store: store), roles: RoleTable(users: [0: .admin]),
            registry: PrometheusCollectorRegistry(), version: "test",
            peerCredentials: { _ in APIHarness.root })
        try await Application(router: buildRouter(dependencies)).test(.router) { client in try await body(client) }
    }

    @Test("One flipped byte in one version: 200 with every other entry and exactly one flagged entry with its record id; the log names the id and no patient data")
    func flippedByteIsFlagged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("pillbox.sqlite")
        let key = SecretKey.random()
        let ids = Mutex<[String]>([])
        try await Self.withAPI(path: path, key: key, logger: Self.quiet) { client in
            for (n, month) in ["03", "06", "09"].enumerated() {
                let created = try await client.post("/v1/dispenses", Samples.dispense(
                    id: "RX-\(n)", lot: "LOT-\(n)", handedOver: "2026-\(month)-01T12:00:00Z", note: "secret note \(n)"))
                let id = try #require(created.json["id"] as? String)
                ids.withLock { $0.append(id) }
            }
        }
        let (march, june, september) = ids.withLock { ($0[0], $0[1], $0[2]) }
        // Someone with the file but not the key flips one bit of June's sealed payload.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [june]))
            payload[payload.startIndex + payload.count / 2] ^= 0x01
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payload, june])
        }
        try queue.close()

        let capture = LogCapture()
        try await Self.withAPI(path: path, key: key, logger: capture.logger) { client in
            let profile = try await client.get("/v1/patients/TREM50020312/medications")
            #expect(profile.status == .ok)
            let entries = try #require(profile.json["medications"] as? [[String: Any]])
            #expect(entries.map { $0["id"] as? String } == [september, june, march])
            #expect(entries.map { $0["pharmacyDispenseId"] as? String } == ["RX-2", nil, "RX-0"])
            #expect(entries.map { $0["source"] as? String } == ["local", "local", "local"])
            #expect(entries.map { $0["problem"] as? String } == [nil, "unreadable", nil])
            #expect(Set(entries[1].keys) == ["id", "version", "problem", "detail", "source"])
            #expect(entries[1]["version"] as? Int == 1)
            #expect(profile.json["unreadableEntries"] as? Int == 1)

            let recall = try await client.get("/v1/dispenses?din=02242903")
            #expect(recall.status == .ok)
            let fills = try #require(recall.json["dispenses"] as? [[String: Any]])
            #expect(fills.map { $0["id"] as? String } == [september, june, march])
            #expect(fills.map { $0["problem"] as? String } == [nil, "unreadable", nil])
            #expect(Set(fills[1].keys) == ["id", "version", "problem", "detail"])
            #expect(recall.json["unreadableEntries"] as? Int == 1)

            let single = try await client.get("/v1/dispenses/\(june)")
            #expect(single.status == .internalServerError)
        }
        // One line per read that met the row (profile, recall, single read), each naming the id.
        let lines = capture.records
        #expect(lines.map { $0.metadata["dispense.id"] } == [june, june, june])
        #expect(lines.allSatisfy { $0.level == .error })
        let rendered = lines.map(\.rendered).joined(separator: "\n")
        for secret in ["TREM50020312", "Tremblay", "Marie", "Metformin", "RX-1", "LOT-1", "secret note", "1950-02-03", "Gagnon"] {
            #expect(!rendered.contains(secret), "a log line carries \(secret)")
        }
    }
}
