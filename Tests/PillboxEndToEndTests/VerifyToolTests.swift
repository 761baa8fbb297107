import Foundation
import GRDB
import PillboxClient
import PillboxModel
import PillboxTestSupport
import PillboxWire
import Testing

/// `pillbox verify` and `pillbox audit` against the real daemon, and offline against its
/// data folder once stopped.
@Suite("pillbox verify and audit against the real daemon", .serialized)
struct VerifyToolTests {
    /// Runs the built `pillbox` with `arguments` and extra `environment`; exit code, stdout, stderr.
    static func pillbox(_ arguments: [String], environment: [String: String] = [:]) async throws -> (code: Int32, out: String, err: String) {
        var env = ProcessInfo.processInfo.environment
        for name in ["LC_ALL", "LC_MESSAGES", "LANG", "PILLBOX_CONFIG", "PILLBOX_DATA_DIR", "PILLBOX_KEY_FILE"] {
            env[name] = nil
        }
        return try await ChildProcess.run(DaemonProcess.executablePath("pillbox"), arguments, environment: env.merging(environment) { $1 })
    }

    /// Records `count` dispenses through the daemon; returns their ids.
    static func record(_ client: LocalClient, count: Int) async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            let answer = try await client.call(LocalAPI.record(Samples.json(Samples.dispense(id: "VERIFY-\(n)"))))
            ids.append(answer.value.record.id)
        }
        return ids
    }

    @Test("verify exits 0 on a healthy store, refuses an offline check while the daemon runs, and names the id of a version tampered with offline")
    func verifyOnlineAndOffline() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { Task { await fixture.finish() } }
        let ids = try await Self.record(client, count: 3)
        let socket = ["--socket", fixture.daemon.socketPath]
        let data = fixture.directory.file("data")
        let offline = ["--data-dir", data, "--key-file", fixture.keyPath]

        let healthy = try await Self.pillbox(["verify"] + socket)
        #expect(healthy.code == 0)
        #expect(healthy.out.contains("Checked: 3 dispenses, 3 versions, 3 upload queue entries, 0 central profiles, "))
        #expect(healthy.out.contains("No problem found."))
        let json = try await Self.pillbox(["verify", "--json"] + socket)
        #expect(json.code == 0)
        let report = try JSONDecoder().decode(VerifyReport.self, from: Data(json.out.utf8))
        #expect(report.ok && report.problems == [] && report.checked.versions == 3)

        let both = try await Self.pillbox(["verify"] + socket + offline)
        #expect(both.code == 64)
        #expect(both.err.contains("give one or the other"))

        let refused = try await Self.pillbox(["verify"] + offline)
        #expect(refused.code == 75)
        #expect(refused.err.contains("pillboxd is running on \(data)"))
        let refusedFrench = try await Self.pillbox(["verify"] + offline, environment: ["LANG": "fr_CA.UTF-8"])
        #expect(refusedFrench.code == 75)
        #expect(refusedFrench.err.contains("pillboxd est en marche sur ce dossier de données : arrêtez-le d'abord"))

        #expect(try await fixture.daemon.stop() == 0)
        let before = Set(try fixture.dataFiles().keys)
        let clean = try await Self.pillbox(["verify"] + offline)
        #expect(clean.code == 0)
        #expect(clean.out.contains("No problem found."))
        // The read-only check leaves the folder as it found it (no -wal/-shm left behind).
        #expect(Set(try fixture.dataFiles().keys) == before)

        // A flipped byte in the second dispense's ciphertext, as someone with the file would.
        let queue = try DatabaseQueue(path: (data as NSString).appendingPathComponent("pillbox.sqlite"))
        try await queue.write { db in
            var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [ids[1]]))
            payload[20] ^= 0x80
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payload, ids[1]])
        }
        try queue.close()

        let tampered = try await Self.pillbox(["verify"] + offline)
        #expect(tampered.code == 1)
        #expect(tampered.out.contains("1 problem found:"))
        #expect(tampered.out.contains("unreadable-version  dispense \(ids[1]) v1  dispense \(ids[1]) version 1 failed authentication"))
        let tamperedJSON = try await Self.pillbox(["verify", "--json"] + offline)
        #expect(tamperedJSON.code == 1)
        let problems = try JSONDecoder().decode(VerifyReport.self, from: Data(tamperedJSON.out.utf8)).problems
        #expect(problems.map(\.recordId) == [ids[1]])
        #expect(problems.map(\.kind) == [.unreadableVersion])

        // --config reads the data folder and the key file from the daemon's configuration file.
        let config = fixture.directory.file("verify.json")
        try JSONSerialization.data(withJSONObject: ["dataDir": data, "keyFile": fixture.keyPath])
            .write(to: URL(fileURLWithPath: config))
        let viaConfig = try await Self.pillbox(["verify", "--config", config])
        #expect(viaConfig.code == 1)
        #expect(viaConfig.out.contains("dispense \(ids[1]) v1"))

        let french = try await Self.pillbox(["verify"] + offline, environment: ["LANG": "fr_CA.UTF-8"])
        #expect(french.code == 1)
        #expect(french.out.contains("1 problème trouvé :"))
        #expect(french.out.contains("délivrance \(ids[1]) v1  la version enregistrée ne s'ouvre pas sous sa clé"))

        // Back online, the daemon finds the same problem.
        try await fixture.daemon.start()
        let online = try await Self.pillbox(["verify"] + socket)
        #expect(online.code == 1)
        #expect(online.out.contains("unreadable-version  dispense \(ids[1]) v1"))
    }

    @Test("audit tail shows the latest entries as aligned lines or JSON lines; audit verify names an edited entry's sequence")
    func auditTailAndVerify() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { Task { await fixture.finish() } }
        let ids = try await Self.record(client, count: 2)
        let socket = ["--socket", fixture.daemon.socketPath]

        let tail = try await Self.pillbox(["audit", "tail", "-n", "2"] + socket)
        #expect(tail.code == 0)
        let lines = tail.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("#1  ") == true)
        #expect(lines.first?.contains("POST /v1/dispenses  201  \(ids[0])") == true)
        #expect(lines.last?.hasPrefix("#2  ") == true)
        let tailJSON = try await Self.pillbox(["audit", "tail", "--json"] + socket)
        let entries = try tailJSON.out.split(separator: "\n").map { try JSONDecoder().decode(AuditEntry.self, from: Data($0.utf8)) }
        // The first tail's own GET /v1/audit was flushed before this one read the trail.
        #expect(entries.map(\.seq) == [1, 2, 3])
        #expect(entries.map(\.dispenseID) == [ids[0], ids[1], nil])

        let intact = try await Self.pillbox(["audit", "verify"] + socket)
        #expect(intact.code == 0)
        #expect(intact.out.contains("No problem found."))

        #expect(try await fixture.daemon.stop() == 0)
        let data = fixture.directory.file("data")
        let queue = try DatabaseQueue(path: (data as NSString).appendingPathComponent("pillbox.sqlite"))
        try await queue.write { db in try db.execute(sql: "UPDATE audit SET outcome = 200 WHERE seq = 2") }
        try queue.close()
        let broken = try await Self.pillbox(["audit", "verify", "--data-dir", data, "--key-file", fixture.keyPath])
        #expect(broken.code == 1)
        #expect(broken.out.contains("audit-chain  audit #2  audit entry 2 does not match its hash: it was edited"))
    }

    @Test("audit tail -f shows entries written after it started, each once")
    func auditTailFollows() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { Task { await fixture.finish() } }
        let first = try await Self.record(client, count: 1)[0]
        let child = try SpawnedChild.start(DaemonProcess.executablePath("pillbox"),
                                           ["audit", "tail", "-f", "--interval", "0.2", "--socket", fixture.daemon.socketPath],
                                           errors: .discard)
        try await Task.sleep(for: .seconds(1.5))
        let second = try await client.call(LocalAPI.record(Samples.json(Samples.dispense(id: "VERIFY-FOLLOW")))).value.record.id
        try await Task.sleep(for: .seconds(1.5))
        child.kill(SIGTERM)
        let text = child.finish().out
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasSuffix("POST /v1/dispenses  201  \(first)") }.count == 1)
        #expect(lines.filter { $0.hasSuffix("POST /v1/dispenses  201  \(second)") }.count == 1)
        // Sequence numbers only go up, none twice.
        let seqs = lines.compactMap { Int64($0.split(separator: " ").first?.dropFirst() ?? "") }
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count && seqs.first == 1)
    }
}
