import Foundation
import PillboxTestSupport
import Testing

@Suite("pillbox retry --all-dead and pillbox export against the real daemon and simulator", .serialized)
struct RetryAllExportToolTests {
    /// Runs the built `pillbox` with `arguments` in `language` (LANG); exit code, stdout, stderr.
    static func pillbox(_ arguments: [String], language: String = "C.UTF-8") async throws -> (code: Int32, out: String, err: String) {
        var environment = ProcessInfo.processInfo.environment
        for name in ["LC_ALL", "LC_MESSAGES"] { environment[name] = nil }
        environment["LANG"] = language
        return try await ChildProcess.run(DaemonProcess.executablePath("pillbox"), arguments, environment: environment)
    }

    /// Polls `/v1/status` until `done` holds.
    static func wait(_ daemon: DaemonProcess, timeout: Double = 90, until done: ([String: Any]) -> Bool) async throws {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(timeout) {
            if done(try await OutageDrillTests.status(daemon)) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DaemonTestError(message: "status did not settle in \(timeout) s: \(try await OutageDrillTests.status(daemon))")
    }

    @Test("Three dead letters: --since after them requeues 0, --all-dead requeues all 3 (in French), the uploader sends them; export gives the bundle; usage errors exit 64/65")
    func retryAllThenExport() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let central = SimulatorProcess(directory: directory)
        try await central.start()
        defer { Task { await central.stop() } }
        try await central.setMode(#"{"mode":"reject","rejectIdentifierPrefix":"DEAD-"}"#)
        let daemon = try OutageDrillTests.daemon(directory, central: central)
        try await daemon.start()
        defer { Task { _ = try? await daemon.stop() } }
        let socket = ["--socket", daemon.socketPath]

        let client = daemon.client()
        for name in ["OK-1", "DEAD-1", "OK-2", "DEAD-2", "DEAD-3", "OK-3"] {
            #expect(try await client.send("POST", "/v1/dispenses", body: Samples.json(Samples.dispense(id: name))).status == 201)
        }
        try await Self.wait(daemon) { $0["deadLetters"] as? Int == 3 && $0["pendingUploads"] as? Int == 0 }
        #expect(try await central.resources().count == 3)
        try await central.setMode(#"{"mode":"up"}"#)

        let tomorrow = Date().addingTimeInterval(86_400).formatted(Date.ISO8601FormatStyle())
        let none = try await Self.pillbox(["retry", "--all-dead", "--since", tomorrow] + socket)
        #expect(none.code == 0)
        #expect(none.out.hasPrefix("No dead letter to put back (dead-lettered since "))
        #expect(try await OutageDrillTests.status(daemon)["deadLetters"] as? Int == 3)

        let french = try await Self.pillbox(["retry", "--all-dead"] + socket, language: "fr_CA.UTF-8")
        #expect(french.code == 0)
        #expect(french.out == "3 entrée(s) en échec remise(s) dans la file; un envoi a été demandé.\n")
        try await Self.wait(daemon) { $0["deadLetters"] as? Int == 0 && $0["pendingUploads"] as? Int == 0 }
        #expect(try await central.resources().count == 6)

        let again = try await Self.pillbox(["retry", "--all-dead", "--json"] + socket)
        #expect(again.code == 0)
        let answer = try JSONSerialization.jsonObject(with: Data(again.out.utf8)) as? [String: Any]
        #expect(answer?["requeued"] as? Int == 0 && answer?["superseded"] as? Int == 0)

        #expect(try await Self.pillbox(["retry"] + socket).code == 64)
        #expect(try await Self.pillbox(["retry", "3", "--all-dead"] + socket).code == 64)
        #expect(try await Self.pillbox(["retry", "--since", "2026-01-01"] + socket).code == 64)
        let badSince = try await Self.pillbox(["retry", "--all-dead", "--since", "yesterday"] + socket)
        #expect(badSince.code == 65)
        #expect(badSince.err.contains("since: must be a date (YYYY-MM-DD) or an RFC 3339 date-time"))
        let badSinceFrench = try await Self.pillbox(["retry", "--all-dead", "--since", "hier"] + socket, language: "fr_CA.UTF-8")
        #expect(badSinceFrench.code == 65)

        let export = try await Self.pillbox(["export", "trem 5002 0312"] + socket)
        #expect(export.code == 0)
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(export.out.utf8)) as? [String: Any])
        #expect(bundle["resourceType"] as? String == "Bundle" && bundle["type"] as? String == "collection")
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        let types = entries.compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String }
        #expect(types == ["Patient"] + Array(repeating: "MedicationDispense", count: 6))
        #expect(export.err == "Exported 6 dispense(s), 0 of them cancelled or entered in error.\n")
        let exportFrench = try await Self.pillbox(["export", "TREM50020312"] + socket, language: "fr_CA.UTF-8")
        #expect(exportFrench.err == "6 service(s) exporté(s), dont 0 annulé(s) ou inscrit(s) par erreur.\n")
        let exportJSON = try await Self.pillbox(["export", "TREM50020312", "--json"] + socket)
        #expect(exportJSON.code == 0 && exportJSON.err.isEmpty)
        #expect(try await Self.pillbox(["export", "nope"] + socket).code == 65)
        // The daemon's log holds no NAM (it logs ids and codes only).
        let log = try String(contentsOfFile: daemon.outputPath, encoding: .utf8)
        #expect(log.contains("Request served"))
        #expect(!log.contains("TREM50020312") && !log.contains("TREM"))
    }
}
