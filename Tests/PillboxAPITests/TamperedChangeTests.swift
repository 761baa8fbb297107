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

/// A correction or cancellation of a dispense whose current version fails its integrity check
/// (altered or damaged on disk) answered 500. It must answer a problem of its own that tells
/// the technician what to do, change nothing, and log the record id only.
@Suite("Changing a dispense whose stored version fails its integrity check")
struct TamperedChangeTests {
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

    /// How many rows of `table` concern dispense `id`, and its current version.
    static func rows(_ path: String, id: String) throws -> (versions: Int, outbox: Int, current: Int) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense_version WHERE dispense_id = ?", arguments: [id]) ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE dispense_id = ?", arguments: [id]) ?? -1,
             try Int.fetchOne(db, sql: "SELECT current_version FROM dispense WHERE id = ?", arguments: [id]) ?? -1)
        }
    }

    /// Records dispense RX-T through the API, then flips one bit of its sealed payload (as
    /// someone with the file but not the key would); returns its record id.
    static func tamperedDispense(path: String, key: SecretKey) async throws -> String {
        let created = Mutex<String?>(nil)
        try await Self.withAPI(path: path, key: key, logger: UnreadableEntryRouteTests.quiet) { client in
            let response = try await client.post("/v1/dispenses", Samples.dispense(id: "RX-T", lot: "LOT-T", note: "secret note"))
            created.withLock { $0 = response.json["id"] as? String }
        }
        let id = try #require(created.withLock { $0 })
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try await queue.write { db in
            var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [id]))
            payload[payload.startIndex + payload.count / 2] ^= 0x01
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payload, id])
        }
        return id
    }

    /// Rows of the tables a dispense writes to, in all.
    static func totals(_ path: String) throws -> [Int] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try ["dispense", "dispense_version", "outbox"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1 }
        }
    }

    @Test("A new dispense repeating the pharmacyDispenseId of a dispense with one flipped payload byte (same content or not): 409 record-unreadable in English and French, nothing written, the log names the stored id only, the refusals are audited with that id")
    func newDispenseRepeatingATamperedOneIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("pillbox.sqlite")
        let key = SecretKey.random()
        let id = try await Self.tamperedDispense(path: path, key: key)
        let before = try Self.totals(path)
        #expect(before == [1, 1, 1])

        let capture = LogCapture()
        let bodies = Mutex<[String]>([])
        try await Self.withAPI(path: path, key: key, logger: capture.logger) { client in
            // The same content (a retry: would have been a replay) and other content (would
            // have been a conflict): the stored original cannot be read to tell them apart.
            let replay = try await client.post("/v1/dispenses", Samples.dispense(id: "RX-T", lot: "LOT-T", note: "secret note"))
            #expect(replay.status == .conflict)
            #expect(replay.json["type"] as? String == "https://pillbox.local/problems/record-unreadable")
            #expect(replay.json["title"] as? String == "Stored record failed its integrity check")
            let detail = try #require(replay.json["detail"] as? String)
            #expect(detail.contains(id) && detail.contains("pillbox verify") && detail.contains("nothing was recorded"), "\(detail)")

            let other = try await client.execute(
                uri: "/v1/dispenses", method: .post, headers: [.contentType: "application/json", .acceptLanguage: "fr-CA"],
                body: ByteBuffer(bytes: Samples.json(Samples.dispense(id: "RX-T", lot: "LOT-T2", note: "secret note"))))
            #expect(other.status == .conflict)
            #expect(other.json["type"] as? String == "https://pillbox.local/problems/record-unreadable")
            #expect(other.json["title"] as? String == "Dossier enregistré en échec de vérification d'intégrité")
            #expect((other.json["detail"] as? String)?.contains("pillbox verify") == true)

            let audit = try await client.get("/v1/audit")
            let entries = try #require(audit.json["entries"] as? [[String: Any]])
            let intakes = entries.filter { $0["action"] as? String == "POST /v1/dispenses" }
            #expect(intakes.map { $0["outcome"] as? Int } == [201, 409, 409])
            #expect(intakes.map { $0["dispenseID"] as? String } == [id, id, id])
            bodies.withLock { $0 = [String(buffer: replay.body), String(buffer: other.body)] }
        }
        #expect(try Self.totals(path) == before, "the refused dispenses wrote rows")
        let after = try Self.rows(path, id: id)
        #expect(after.versions == 1 && after.outbox == 1 && after.current == 1)

        // One error line per refusal, each naming the stored id; no patient data anywhere.
        let lines = capture.records.filter { $0.level == .error }
        #expect(lines.map { $0.metadata["dispense.id"] } == [id, id])
        #expect(lines.map { $0.metadata["error.code"] } == ["integrity", "integrity"])
        let rendered = (capture.records.map(\.rendered) + bodies.withLock { $0 }).joined(separator: "\n")
        for secret in ["TREM50020312", "Tremblay", "Marie", "Metformin", "RX-T", "LOT-T", "secret note", "1950-02-03"] {
            #expect(!rendered.contains(secret), "a log line or problem carries \(secret)")
        }
    }

    @Test("A correction and a cancellation of a dispense with one flipped payload byte: 409 record-unreadable in English and French naming pillbox verify, nothing written, the log names the id only, the refusals are audited")
    func changesOfATamperedDispenseAreRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("pillbox.sqlite")
        let key = SecretKey.random()
        let id = try await Self.tamperedDispense(path: path, key: key)
        let before = try Self.rows(path, id: id)
        #expect(before.versions == 1 && before.outbox == 1 && before.current == 1)

        let capture = LogCapture()
        let bodies = Mutex<[String]>([])
        try await Self.withAPI(path: path, key: key, logger: capture.logger) { client in
            var corrected = Samples.dispense(id: "RX-T", lot: "LOT-T2", note: "secret note")
            corrected["reason"] = "wrong lot"
            let correction = try await client.post("/v1/dispenses/\(id)/corrections", corrected)
            #expect(correction.status == .conflict)
            #expect(correction.json["type"] as? String == "https://pillbox.local/problems/record-unreadable")
            #expect(correction.json["title"] as? String == "Stored record failed its integrity check")
            let detail = try #require(correction.json["detail"] as? String)
            #expect(detail.contains(id) && detail.contains("pillbox verify") && detail.contains("nothing was changed"))

            let cancel = try await client.execute(
                uri: "/v1/dispenses/\(id)/cancel", method: .post, headers: [.contentType: "application/json", .acceptLanguage: "fr-CA"],
                body: ByteBuffer(bytes: Samples.json(["reason": "patient returned it", "status": "cancelled"])))
            #expect(cancel.status == .conflict)
            #expect(cancel.json["type"] as? String == "https://pillbox.local/problems/record-unreadable")
            #expect(cancel.json["title"] as? String == "Dossier enregistré en échec de vérification d'intégrité")
            #expect((cancel.json["detail"] as? String)?.contains("pillbox verify") == true)

            let audit = try await client.get("/v1/audit")
            let entries = try #require(audit.json["entries"] as? [[String: Any]])
            let refusals = entries.filter { ($0["action"] as? String)?.hasPrefix("POST /v1/dispenses/{id}/") == true }
            #expect(refusals.map { $0["action"] as? String } == ["POST /v1/dispenses/{id}/corrections", "POST /v1/dispenses/{id}/cancel"])
            #expect(refusals.map { $0["outcome"] as? Int } == [409, 409])
            #expect(refusals.map { $0["dispenseID"] as? String } == [id, id])
            bodies.withLock { $0 = [String(buffer: correction.body), String(buffer: cancel.body)] }
        }
        let after = try Self.rows(path, id: id)
        #expect(after.versions == 1 && after.outbox == 1 && after.current == 1, "the refused changes wrote \(after)")

        // One error line per refused change, each naming the id; no patient data anywhere.
        let lines = capture.records.filter { $0.level == .error }
        #expect(lines.map { $0.metadata["dispense.id"] } == [id, id])
        #expect(lines.map { $0.metadata["error.code"] } == ["integrity", "integrity"])
        let rendered = (capture.records.map(\.rendered) + bodies.withLock { $0 }).joined(separator: "\n")
        for secret in ["TREM50020312", "Tremblay", "Marie", "Metformin", "RX-T", "LOT-T", "secret note", "1950-02-03", "wrong lot"] {
            #expect(!rendered.contains(secret), "a log line or problem carries \(secret)")
        }
    }
}
