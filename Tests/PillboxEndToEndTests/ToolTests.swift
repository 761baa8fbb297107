import Foundation
import PillboxChecks
import PillboxClient
import PillboxModel
import PillboxTestSupport
import PillboxWire
import Testing

@Suite("The pillbox tool against the real daemon", .serialized)
struct ToolTests {
    /// Runs the built `pillbox` with `arguments`; returns its exit code, stdout and stderr.
    static func pillbox(_ arguments: [String]) async throws -> (code: Int32, out: String, err: String) {
        try await ChildProcess.run(DaemonProcess.executablePath("pillbox"), arguments)
    }

    /// Starts the built `pillbox` with `arguments` and kills it with SIGKILL after `milliseconds`
    /// (as a power cut would stop it), output discarded; returns once it is gone.
    static func pillboxKilled(_ arguments: [String], after milliseconds: Int) async throws {
        let child = try SpawnedChild.start(DaemonProcess.executablePath("pillbox"), arguments,
                                           output: .discard, errors: .discard)
        try await Task.sleep(for: .milliseconds(milliseconds))
        child.kill(SIGKILL)
        _ = child.finish()
    }

    @Test("status, dispense, profile, queue and sync print readable answers and exit with meaningful codes")
    func toolCommands() async throws {
        let (fixture, _) = try await Fixture.running()
        defer { Task { await fixture.finish() } }
        let socket = ["--socket", fixture.daemon.socketPath]

        let status = try await Self.pillbox(["status", "--min-free-disk-percent", "1"] + socket)
        #expect(status.code == 0)
        #expect(status.out.range(of: #"Records: +0\n"#, options: .regularExpression) != nil)
        #expect(status.out.range(of: #"Central record: +not configured \(local-only mode\)"#, options: .regularExpression) != nil)

        let record = fixture.directory.file("record.json")
        try Samples.json(Samples.dispense(id: "TOOL-1")).write(to: URL(fileURLWithPath: record))
        let first = try await Self.pillbox(["dispense", "--file", record] + socket)
        #expect(first.code == 0)
        #expect(first.out.hasPrefix("Recorded dispense "))
        #expect(first.out.contains("version 1 (upload pending)"))
        let again = try await Self.pillbox(["dispense", "--file", record] + socket)
        #expect(again.code == 0)
        #expect(again.out.hasPrefix("Already recorded (same content), nothing changed:"))

        let bad = fixture.directory.file("bad.json")
        try Data(#"{"pharmacyDispenseId":"TOOL-2","patient":{"nam":"nope"},"medication":{"din":"02242903","display":"x"},"extra":1}"#.utf8)
            .write(to: URL(fileURLWithPath: bad))
        let refused = try await Self.pillbox(["dispense", "--file", bad] + socket)
        #expect(refused.code == 65)
        #expect(refused.err.contains("patient.nam: must be 4 letters followed by 8 digits"))
        #expect(refused.err.contains("$: has an unknown field (not named here)"))
        #expect(!refused.err.contains("extra"))

        let profile = try await Self.pillbox(["profile", "trem 5002 0312"] + socket)
        #expect(profile.code == 0)
        #expect(profile.out.hasPrefix("1 medication(s) for TREM50020312"))
        #expect(profile.out.contains("DIN 02242903  Metformin 500 mg tablet × 60 tablet  [completed] (local)"))

        let queue = try await Self.pillbox(["queue", "--state", "pending"] + socket)
        #expect(queue.code == 0)
        #expect(queue.out.hasPrefix("1 entry"))
        #expect(queue.out.contains("#1  pending"))

        let sync = try await Self.pillbox(["sync"] + socket)
        #expect(sync.code == 75)
        #expect(sync.err.contains("No central record configured"))

        let json = try await Self.pillbox(["status", "--min-free-disk-percent", "1", "--json"] + socket)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect(parsed?["records"] as? Int == 1)

        let missing = try await Self.pillbox(["queue", "--socket", fixture.directory.file("nothing.sock")])
        #expect(missing.code == 69)
        #expect(missing.err.contains("cannot reach pillboxd"))
        let down = try await Self.pillbox(["status", "--min-free-disk-percent", "1", "--socket", fixture.directory.file("nothing.sock")])
        #expect(down.code == 2, "status says a daemon that does not answer is down")
        #expect(down.out.contains("cannot reach pillboxd"))
    }

    /// The problem a call ended with, or nil when it succeeded.
    static func problem<Answer>(_ endpoint: LocalEndpoint<Answer>, _ client: LocalClient) async throws -> LocalProblem? {
        do {
            _ = try await client.call(endpoint)
            return nil
        } catch let problem as LocalProblem {
            return problem
        }
    }

    @Test("Every LocalAPI call reaches its route on the real daemon and decodes the answer into its wire type")
    func typedCalls() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { Task { await fixture.finish() } }
        #expect(try await client.call(LocalAPI.health).value == HealthResponse(status: "ok"))

        let body = Samples.json(Samples.dispense(id: "TYPED-1", handedOver: "2026-11-20T10:00:00-05:00"))
        let created = try await client.call(LocalAPI.record(body))
        #expect(created.response.status == 201)
        let record = created.value.record
        #expect(created.value.checks == CheckResponse(findings: [], coverage: Coverage(central: .none, reason: .notConfigured),
                                                      skippedChecks: [SkippedCheck(type: .duplicateTherapy, reason: .noSubstanceCode)]))
        #expect(try await client.call(LocalAPI.checks(body)).value == created.value.checks)
        #expect(record.version == 1)
        #expect(record.sync.state == .pending)
        #expect(record.dispense.pharmacyDispenseId == "TYPED-1")
        let replay = try await client.call(LocalAPI.record(body))
        #expect(replay.response.status == 200)
        #expect(replay.value == created.value)

        var corrected = Samples.dispense(id: "TYPED-1", handedOver: "2026-11-20T10:00:00-05:00")
        corrected["daysSupply"] = 60
        corrected["reason"] = "wrong days supply"
        let correction = try await client.call(LocalAPI.correct(id: record.id, Samples.json(corrected))).value.record
        #expect(correction.version == 2)
        #expect(correction.reason == "wrong days supply")
        let cancel = try await client.call(LocalAPI.cancel(id: record.id, Samples.json(["reason": "returned", "status": "cancelled"]))).value
        #expect(cancel.status == .cancelled)
        #expect(try await client.call(LocalAPI.dispense(id: record.id)).value == cancel)
        #expect(try await client.call(LocalAPI.history(id: record.id)).value.versions.map(\.version) == [1, 2, 3])

        let profile = try await client.call(LocalAPI.profile(nam: "TREM50020312", since: "2026-11-01")).value
        #expect(profile.nam == "TREM50020312")
        #expect(profile.medications == [.local(cancel)])
        #expect(profile.central == ProfileResponse.Central(configured: false, reachable: false, asOf: nil))
        #expect(try await client.call(LocalAPI.profile(nam: "TREM50020312", since: "2026-11-21")).value.medications == [])
        // A `+` offset in a query value arrives as a `+`, not a space.
        let recall = try await client.call(LocalAPI.recall(din: "02242903", lot: "L123", from: "2026-11-20T14:59:00+00:00",
                                                           to: "2026-11-20T15:01:00+00:00", limit: 10)).value
        #expect(recall.dispenses == [.record(cancel)])
        #expect(recall.nextCursor == nil)

        let outbox = try await client.call(LocalAPI.outbox(state: "pending")).value
        #expect(outbox.entries.map(\.version) == [1, 2, 3])
        #expect(outbox.entries.allSatisfy { $0.dispenseId == record.id && $0.state == .pending })
        let status = try await client.call(LocalAPI.status).value
        #expect(status.records == 1)
        #expect(status.pendingUploads == 3)
        #expect(status.mode == "local-only")
        #expect(status.central == StatusResponse.Central(configured: false))
        #expect(status.storage.state == .ok)
        let audit = try await client.call(LocalAPI.audit(verify: true)).value
        #expect(audit.chain?.intact == true)
        #expect(audit.chain?.entries == audit.entries.count)
        #expect(Set(audit.entries.map(\.action)).isSuperset(of: ["GET /v1/health", "POST /v1/dispenses", "POST /v1/dispenses/{id}/cancel"]))

        let notDead = try await Self.problem(LocalAPI.retry(seq: outbox.entries[0].seq), client)
        #expect(notDead?.status == 409)
        #expect(notDead?.details?.type == "https://pillbox.local/problems/not-dead-lettered")
        #expect(try await Self.problem(LocalAPI.sync, client)?.details?.type == "https://pillbox.local/problems/local-only")
        let unknown = try await Self.problem(LocalAPI.dispense(id: "00000000-0000-0000-0000-000000000000"), client)
        #expect(unknown?.status == 404)
        let invalid = try await Self.problem(LocalAPI.record(Samples.json(["pharmacyDispenseId": "TYPED-2"])), client)
        #expect(invalid?.status == 400)
        #expect(invalid?.details?.errors?.contains(FieldError(path: "patient", message: "is required")) == true)
    }
}
