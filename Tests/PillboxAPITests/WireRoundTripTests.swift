import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxModel
import PillboxStore
import PillboxTestSupport
import PillboxWire
import Synchronization
import Testing

/// The daemon's answers against the `PillboxWire` types the pillbox tool decodes them into:
/// each answer decoded and encoded again must give back the same JSON, key for key, so a
/// field the daemon sends that a wire type lacks fails here (not in the technician's hands).
@Suite("Wire types: every field the daemon sends decodes")
struct WireRoundTripTests {
    /// What differs between two JSON documents, as paths (`medications[1].source`); [] when equal.
    static func differences(_ sent: JSONValue, _ decoded: JSONValue, at path: String = "$") -> [String] {
        switch (sent, decoded) {
        case (.object(let left), .object(let right)):
            return Set(left.keys).union(right.keys).sorted().flatMap { key -> [String] in
                switch (left[key], right[key]) {
                case (let l?, let r?): differences(l, r, at: "\(path).\(key)")
                case (_?, nil): ["\(path).\(key): sent, lost by the wire type"]
                default: ["\(path).\(key): added by the wire type"]
                }
            }
        case (.array(let left), .array(let right)) where left.count == right.count:
            return zip(left, right).enumerated().flatMap { differences($1.0, $1.1, at: "\(path)[\($0)]") }
        default:
            return sent == decoded ? [] : ["\(path): \(sent.typeName) became \(decoded.typeName)"]
        }
    }

    /// Records `route` as covered, expects `status`, then checks that `response`'s body survives `T`.
    static func check<T: Codable>(_ covered: CoveredRoutes, _ type: T.Type, _ response: TestResponse, _ route: String,
                                  status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) throws {
        covered.value.withLock { _ = $0.insert(route) }
        #expect(response.status == status, "\(route)", sourceLocation: sourceLocation)
        let body = Data(buffer: response.body)
        let sent = try JSONCoding.decoder.decode(JSONValue.self, from: body)
        let value = try JSONCoding.decoder.decode(T.self, from: body)
        let again = try JSONCoding.encoder.encode(value)
        #expect(differences(sent, try JSONCoding.decoder.decode(JSONValue.self, from: again)) == [], "\(route) as \(T.self)",
                sourceLocation: sourceLocation)
        #expect(again == body, "\(route): the same bytes", sourceLocation: sourceLocation)
    }

    @Test("Every JSON route's answer (and problems) decodes into its wire type and encodes back to the same JSON")
    func everyRoute() async throws {
        let harness = try APIHarness(central: TroubledCentral())
        let covered = CoveredRoutes()
        try await harness.store.appendAudit([AuditEvent(at: Date(timeIntervalSince1970: 1_700_000_000), uid: 0, pid: 1, role: "admin",
                                                        action: "GET /v1/status", outcome: 200)])
        let ids = try await harness.test { client in
            try Self.check(covered, HealthResponse.self, try await client.get("/v1/health"), "GET /v1/health", status: .ok)
            var ids: [String] = []
            for (n, month) in ["03", "06", "09"].enumerated() {
                let created = try await client.post("/v1/dispenses", Samples.dispense(
                    id: "W-\(n)", handedOver: "2026-\(month)-01T12:00:00Z", note: "note \(n)"))
                try Self.check(covered, RecordedDispense.self, created, "POST /v1/dispenses", status: .created)
                ids.append(try #require(created.json["id"] as? String))
            }
            let replay = try await client.post("/v1/dispenses", Samples.dispense(id: "W-0", handedOver: "2026-03-01T12:00:00Z", note: "note 0"))
            try Self.check(covered, RecordedDispense.self, replay, "POST /v1/dispenses", status: .ok)
            var corrected = Samples.dispense(id: "W-0", handedOver: "2026-03-01T12:00:00Z", note: "note 0")
            corrected["reason"] = "wrong days supply"
            corrected["daysSupply"] = 60
            try Self.check(covered, RecordedDispense.self, try await client.post("/v1/dispenses/\(ids[0])/corrections", corrected),
                      "POST /v1/dispenses/{id}/corrections", status: .created)
            let check = try await client.post("/v1/checks", Samples.dispense(id: "W-9", handedOver: "2026-09-10T12:00:00Z"))
            #expect((check.json["findings"] as? [Any])?.count == 1, "an early refill of W-2, so that a finding's fields decode too")
            try Self.check(covered, CheckResponse.self, check, "POST /v1/checks", status: .ok)
            try Self.check(covered, DispenseRecord.self, try await client.post("/v1/dispenses/\(ids[2])/cancel", ["reason": "returned", "status": "cancelled"]),
                      "POST /v1/dispenses/{id}/cancel", status: .created)
            try Self.check(covered, DispenseRecord.self, try await client.get("/v1/dispenses/\(ids[0])"), "GET /v1/dispenses/{id}", status: .ok)
            try Self.check(covered, HistoryResponse.self, try await client.get("/v1/dispenses/\(ids[0])/history"),
                      "GET /v1/dispenses/{id}/history", status: .ok)

            // The outbox: one sent, one dead letter with the server's outcome, the rest pending.
            let pending = try JSONCoding.decoder.decode(OutboxPage.self, from: Data(buffer: try await client.get("/v1/outbox").body))
            let seqs = pending.entries.map(\.seq).sorted()
            try #require(seqs.count == 5)
            let outcome: JSONValue = .object(["resourceType": .string("OperationOutcome"),
                                              "issue": .array([.object(["severity": .string("error"), "code": .string("invalid")])])])
            try await harness.store.recordUploadResults([(seqs[0], .sent), (seqs[1], .deadLetter(summary: "HTTP 422 (invalid)", outcome: outcome))],
                                                        now: Date())
            try Self.check(covered, OutboxPage.self, try await client.get("/v1/outbox"), "GET /v1/outbox", status: .ok)
            try Self.check(covered, StatusResponse.self, try await client.get("/v1/status"), "GET /v1/status", status: .ok)
            try Self.check(covered, RetryResponse.self, try await client.execute(uri: "/v1/outbox/\(seqs[1])/retry", method: .post),
                      "POST /v1/outbox/{seq}/retry", status: .ok)
            try await harness.store.recordUploadResults([(seqs[2], .deadLetter(summary: "HTTP 422 (invalid)", outcome: nil))], now: Date())
            try Self.check(covered, RetryAllResponse.self, try await client.execute(uri: "/v1/outbox/retry?since=2026-01-01", method: .post),
                      "POST /v1/outbox/retry", status: .ok)
            try Self.check(covered, SyncResponse.self, try await client.execute(uri: "/v1/sync", method: .post), "POST /v1/sync", status: .accepted)
            try Self.check(covered, AuditPage.self, try await client.get("/v1/audit?verify=true"), "GET /v1/audit", status: .ok)
            try Self.check(covered, VerifyReport.self, try await client.execute(uri: "/v1/verify", method: .post), "POST /v1/verify", status: .ok)
            let backups = harness.directory.path + "-backups"
            try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: backups) }
            try Self.check(covered, BackupResponse.self, try await client.post("/v1/backups", ["destination": backups]),
                           "POST /v1/backups", status: .created)
            // The entry appended before the first request was recorded in 2023: archived, so every member is sent.
            let archived = try await client.post("/v1/audit/archive", ["before": "2024-01-01", "destination": backups])
            try Self.check(covered, AuditArchiveResponse.self, archived, "POST /v1/audit/archive", status: .created)
            let archive = try #require(try JSONCoding.decoder.decode(AuditArchiveResponse.self, from: Data(buffer: archived.body)).path)
            try Self.check(covered, AuditArchiveCheckResponse.self, try await client.post("/v1/audit/archive/verify", ["path": archive]),
                           "POST /v1/audit/archive/verify", status: .ok)
            try Self.check(covered, KeysResponse.self, try await client.execute(uri: "/v1/keys/rotate", method: .post),
                           "POST /v1/keys/rotate", status: .accepted)
            try Self.check(covered, KeysResponse.self, try await client.get("/v1/keys"), "GET /v1/keys", status: .ok)
            try Self.check(covered, ProblemDetails.self, try await client.execute(uri: "/v1/keys/rotate", method: .post),
                           "problem", status: .conflict)

            // Problems: a plain one and a validation one with its field errors.
            try Self.check(covered, ProblemDetails.self, try await client.get("/v1/dispenses/\(UUID().uuidString)"), "problem", status: .notFound)
            try Self.check(covered, ProblemDetails.self, try await client.post("/v1/dispenses", ["pharmacyDispenseId": "W-9"]), "problem", status: .badRequest)
            return ids
        }

        // June's stored payload altered: profiles and recalls flag it in its place.
        let queue = try DatabaseQueue(path: harness.directory.file("pillbox.sqlite"))
        try await queue.write { db in
            var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [ids[1]]))
            payload[payload.startIndex + payload.count / 2] ^= 0x01
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payload, ids[1]])
        }
        try queue.close()
        try await harness.test { client in
            let profile = try await client.get("/v1/patients/TREM50020312/medications")
            try Self.check(covered, ProfileResponse.self, profile, "GET /v1/patients/{nam}/medications", status: .ok)
            let medications = try JSONCoding.decoder.decode(ProfileResponse.self, from: Data(buffer: profile.body)).medications
            #expect(medications.map(Self.kind) == ["local", "unreadable", "local", "central"])
            let export = try await client.get("/v1/patients/TREM50020312/export")
            try Self.check(covered, ExportBundle.self, export, "GET /v1/patients/{nam}/export", status: .ok)
            let bundle = try JSONCoding.decoder.decode(ExportBundle.self, from: Data(buffer: export.body))
            #expect(bundle.resources("MedicationDispense").count == 2)
            #expect(bundle.resources("OperationOutcome").count == 1, "June's unreadable record, flagged")
            let recall = try await client.get("/v1/dispenses?din=02242903&limit=2")
            try Self.check(covered, RecallResponse.self, recall, "GET /v1/dispenses", status: .ok)
            let page = try JSONCoding.decoder.decode(RecallResponse.self, from: Data(buffer: recall.body))
            #expect(page.nextCursor != nil)
            #expect(page.dispenses.map { if case .unreadable = $0 { "unreadable" } else { "record" } } == ["record", "unreadable"])
        }

        let jsonRoutes = Set(apiRoutes(harness.dependencies).map { "\($0.method) \($0.path)" }).subtracting(["GET /metrics"])
        #expect(jsonRoutes.subtracting(covered.value.withLock { $0 }).sorted() == [], "routes without a round trip here")
    }

    static func kind(_ entry: ProfileEntry) -> String {
        switch entry {
        case .local: "local"
        case .central: "central"
        case .unreadable: "unreadable"
        }
    }

    @Test("A field the wire type lacks is reported by its path")
    func differencesNameTheLostField() {
        let sent: JSONValue = .object(["a": .number(1), "b": .object(["c": .string("x"), "d": .null])])
        let decoded: JSONValue = .object(["a": .number(1), "b": .object(["c": .string("x")])])
        #expect(Self.differences(sent, decoded) == ["$.b.d: sent, lost by the wire type"])
        #expect(Self.differences(sent, sent) == [])
    }
}

/// A central record with every optional status field set, so that each must decode.
final class TroubledCentral: CentralRecordView {
    let profileEntries = FakeCentral(reachable: false)

    func status() -> CentralStatus {
        var status = CentralStatus(configured: true, reachable: false, lastSuccessAt: Date(timeIntervalSince1970: 1_795_000_000),
                                   lastFailureAt: Date(timeIntervalSince1970: 1_795_003_600), lastError: "HTTP 403 (forbidden)")
        status.condition = "credentials"
        status.conditionSince = Date(timeIntervalSince1970: 1_795_001_800)
        status.heldEntries = 2
        return status
    }

    func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        await profileEntries.profile(nam: nam, localDispenseIDs: localDispenseIDs)
    }

    func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        await profileEntries.cachedProfile(nam: nam, localDispenseIDs: localDispenseIDs)
    }

    func requestSync() {}
}

/// The routes a test went through.
final class CoveredRoutes: Sendable {
    let value = Mutex<Set<String>>([])
}
