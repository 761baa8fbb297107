import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxCrypto
import PillboxModel
import PillboxTestSupport
import PillboxWire
import Synchronization
import Testing

/// `POST /v1/audit/archive` in-process: the answer, the trail afterwards, each refusal with
/// the store and the folder unchanged.
@Suite("POST /v1/audit/archive")
struct AuditArchiveRouteTests {
    /// A clock the test moves.
    final class Clock: Sendable {
        let now = Mutex(Timestamps.parseRFC3339("2026-01-10T12:00:00Z")!)
        func set(_ text: String) { now.withLock { $0 = Timestamps.parseRFC3339(text)! } }
    }

    static func answer(_ response: TestResponse) throws -> AuditArchiveResponse {
        try JSONCoding.decoder.decode(AuditArchiveResponse.self, from: Data(buffer: response.body))
    }

    static func page(_ response: TestResponse) throws -> AuditPage {
        try JSONCoding.decoder.decode(AuditPage.self, from: Data(buffer: response.body))
    }

    static func day(_ text: String) -> String { Timestamps.format(Timestamps.parseDate(text, timeZone: .current)!) }

    /// Three requests on January 10th (a write and two reads), then the clock on March 1st.
    static func prepared() async throws -> (APIHarness, TemporaryDirectory) {
        let clock = Clock()
        let harness = try APIHarness(now: { clock.now.withLock { $0 } })
        let destination = try TemporaryDirectory()
        try await harness.test { client in
            let created = try await client.post("/v1/dispenses", Samples.dispense(id: "AR-1", handedOver: "2026-01-09T12:00:00Z"))
            #expect(created.status == .created)
            #expect(try await client.get("/v1/dispenses/\(try #require(created.json["id"] as? String))").status == .ok)
            #expect(try await client.get("/v1/status").status == .ok)
        }
        clock.set("2026-03-01T12:00:00Z")
        return (harness, destination)
    }

    @Test("An admin archives what was recorded before the day: 201 with the range and the file; the trail goes on, intact")
    func archives() async throws {
        let (harness, destination) = try await Self.prepared()
        defer { destination.remove() }
        try await harness.test { client in
            let dry = try await client.post("/v1/audit/archive", ["before": "2026-02-01", "destination": destination.path, "dryRun": true])
            #expect(dry.status == .ok)
            let january = Timestamps.format(Timestamps.parseRFC3339("2026-01-10T12:00:00Z")!)
            #expect(try Self.answer(dry) == AuditArchiveResponse(before: Self.day("2026-02-01"), dryRun: true, entries: 3, firstSeq: 1,
                                                                 lastSeq: 3, firstAt: january, lastAt: january))
            #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path) == [])

            let response = try await client.post("/v1/audit/archive", ["before": "2026-02-01", "destination": destination.path])
            #expect(response.status == .created)
            let answer = try Self.answer(response)
            // The dry run's own entry (seq 4) was recorded on March 1st: not before the day.
            let file = destination.file("pillbox-audit-1-3.jsonl")
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(answer == AuditArchiveResponse(before: Self.day("2026-02-01"), dryRun: false, entries: 3, firstSeq: 1, lastSeq: 3,
                                                   firstAt: january, lastAt: january, path: file,
                                                   sha256: Hex.encode(SHA256Digest.hash(Array(data))), bytes: Int64(data.count)))
            #expect(String(decoding: data, as: UTF8.self).split(separator: "\n").count == 5)

            let page = try Self.page(try await client.get("/v1/audit?verify=true"))
            #expect(page.entries.map(\.action) == ["POST /v1/audit/archive", "POST /v1/audit/archive"])
            #expect(page.entries.map(\.seq) == [4, 5])
            #expect(page.entries.map(\.outcome) == [200, 201])
            #expect(page.chain == AuditPage.Chain(intact: true, entries: 2, firstBrokenSeq: nil))
            let verify = try JSONCoding.decoder.decode(VerifyReport.self, from: Data(buffer: try await client.execute(uri: "/v1/verify",
                                                                                                                  method: .post).body))
            #expect(verify.problems == [])
        }
    }

    @Test("Refusals leave the store and the folder as they were: bad body, a future day, a folder not allowed, a reader")
    func refusals() async throws {
        let (harness, destination) = try await Self.prepared()
        defer { destination.remove() }
        try await harness.test { client in
            let missing = try await client.post("/v1/audit/archive", ["destination": "relative", "dryRun": "yes", "NAM": "TREM50020312"])
            #expect(missing.status == .badRequest)
            let problem = try JSONCoding.decoder.decode(ProblemDetails.self, from: Data(buffer: missing.body))
            #expect(problem.errors?.map(\.path) == ["body", "before", "destination", "dryRun"])
            #expect(!String(decoding: Data(buffer: missing.body), as: UTF8.self).contains("TREM"))

            let future = try await client.post("/v1/audit/archive", ["before": "2026-03-02", "destination": destination.path])
            #expect(future.status == .badRequest)
            #expect(try JSONCoding.decoder.decode(ProblemDetails.self, from: Data(buffer: future.body)).errors?.map(\.message)
                    == ["must be today or an earlier day: entries recorded before it are archived"])

            let elsewhere = try await client.post("/v1/audit/archive", ["before": "2026-02-01", "destination": "/var/lib"])
            #expect(elsewhere.status == .unprocessableContent)
            #expect(elsewhere.json["type"] as? String == "https://pillbox.local/problems/archive-destination")
            let absent = try await client.post("/v1/audit/archive", ["before": "2026-02-01", "destination": destination.file("absent")])
            #expect(absent.status == .unprocessableContent)
            #expect(absent.json["detail"] as? String == "the destination \(destination.file("absent")) is not an existing folder (is the disk mounted?)")

            let nothing = try await client.post("/v1/audit/archive", ["before": "2026-01-01", "destination": destination.path])
            #expect(nothing.status == .ok)
            #expect(try Self.answer(nothing) == AuditArchiveResponse(before: Self.day("2026-01-01"), dryRun: false, entries: 0))
        }
        harness.as(APIHarness.reader)
        try await harness.test { client in
            let refused = try await client.post("/v1/audit/archive", ["before": "2026-02-01", "destination": destination.path])
            #expect(refused.status == .forbidden)
        }
        harness.as(APIHarness.root)
        try await harness.test { client in
            #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path) == [])
            let page = try Self.page(try await client.get("/v1/audit?verify=true"))
            #expect(page.entries.first?.seq == 1)
            #expect(page.chain?.intact == true)
        }
    }

    @Test("A broken chain before the day: 409 audit-chain-broken naming the entry; nothing written or removed")
    func brokenChain() async throws {
        let (harness, destination) = try await Self.prepared()
        defer { destination.remove() }
        try await harness.test { client in _ = try await client.get("/v1/audit") }
        let queue = try DatabaseQueue(path: harness.directory.file("pillbox.sqlite"))
        try await queue.write { try $0.execute(sql: "UPDATE audit SET outcome = 500 WHERE seq = 2") }
        try queue.close()
        try await harness.test { client in
            let response = try await client.post("/v1/audit/archive", ["before": "2026-02-01", "destination": destination.path])
            #expect(response.status == .conflict)
            #expect(response.json["type"] as? String == "https://pillbox.local/problems/audit-chain-broken")
            #expect(response.json["detail"] as? String == "audit entry 2 does not hold (entry 2 was expected next, linked to the one "
                + "before it): nothing was archived; `pillbox audit verify` says what is wrong")
            #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path) == [])
            #expect(try Self.page(try await client.get("/v1/audit")).entries.first?.seq == 1)
        }
    }

    @Test("An archive file checked: intact and the newest; edited, the first line that does not hold; outside the folders or not a file, 422")
    func verifiesFile() async throws {
        let (harness, destination) = try await Self.prepared()
        defer { destination.remove() }
        try await harness.test { client in
            let archived = try Self.answer(try await client.post("/v1/audit/archive", ["before": "2026-02-01", "destination": destination.path]))
            let path = try #require(archived.path)
            let intact = try await client.post("/v1/audit/archive/verify", ["path": path])
            #expect(intact.status == .ok)
            #expect(try JSONCoding.decoder.decode(AuditArchiveCheckResponse.self, from: Data(buffer: intact.body)) == AuditArchiveCheckResponse(
                path: path, intact: true, entries: 3, firstSeq: 1, lastSeq: 3, newest: true, sha256: try #require(archived.sha256),
                bytes: try #require(archived.bytes)))

            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacingOccurrences(of: "\"outcome\":201", with: "\"outcome\":200").write(toFile: path, atomically: true, encoding: .utf8)
            let edited = try JSONCoding.decoder.decode(AuditArchiveCheckResponse.self, from: Data(buffer: try await client.post(
                "/v1/audit/archive/verify", ["path": path]).body))
            #expect(edited.intact == false)
            #expect(edited.line == 2)
            #expect(edited.problem == "entry 1 does not hold")
            #expect(edited.entries == nil)
            #expect(edited.newest == false)

            let outside = try await client.post("/v1/audit/archive/verify", ["path": "/etc/passwd"])
            #expect(outside.status == .unprocessableContent)
            let folder = try await client.post("/v1/audit/archive/verify", ["path": destination.path])
            #expect(folder.status == .unprocessableContent)
            #expect(folder.json["detail"] as? String
                    == "\(destination.path) is not a file (pillbox-audit-<first>-<last>.jsonl in a backup folder)")
            #expect(try await client.post("/v1/audit/archive/verify", ["path": "relative"]).status == .badRequest)
        }
    }
}
