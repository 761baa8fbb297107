import Foundation
import PillboxClient
import PillboxTestSupport
import PillboxWire
import Testing

/// Runs the built `pillbox` with `arguments` and extra environment; its exit code, stdout and stderr.
func runPillbox(_ arguments: [String], environment: [String: String] = [:]) async throws -> (code: Int32, out: String, err: String) {
    var env = ProcessInfo.processInfo.environment
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] { env[name] = nil }
    env.merge(environment) { $1 }
    return try await ChildProcess.run(DaemonProcess.executablePath("pillbox"), arguments, environment: env)
}

/// `pillbox status --json`'s `health` member.
struct HealthJSON: Decodable {
    struct Reason: Decodable { var code: String; var message: String }
    struct Wrapper: Decodable { var health: Health }
    struct Health: Decodable { var level: String; var exitCode: Int32; var reasons: [Reason] }
}

@Suite("pillbox status: exit codes and screens against the real daemon", .serialized)
struct StatusToolTests {
    /// A daemon uploading to `central`, with short back-offs.
    static func daemon(_ directory: TemporaryDirectory, central: SimulatorProcess) throws -> DaemonProcess {
        let config: [String: Any] = [
            "central": [
                "url": central.fhirBase, "pharmacySystem": "https://pharmacy.example/ids/0042", "pharmacyId": "0042",
                "startJitterSeconds": 0, "backoffInitialSeconds": 0.1, "backoffMaxSeconds": 0.5, "idlePollSeconds": 0.2,
                "configurationRetrySeconds": 0.5, "prefetch": ["recentDays": 0],
            ],
        ]
        let configPath = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let keyPath = try TestKeys.write(.random(), to: directory.file("master.key"))
        return DaemonProcess(directory: directory, arguments: ["--key-file", keyPath, "--config", configPath])
    }

    static func record(_ daemon: DaemonProcess, _ id: String) async throws {
        let response = try await daemon.client().send("POST", "/v1/dispenses", body: Samples.json(Samples.dispense(id: id)))
        #expect(response.status == 201)
    }

    /// Polls the typed status until `condition` holds (at most 30 s).
    static func waitFor(_ daemon: DaemonProcess, _ what: String, _ condition: (StatusResponse) -> Bool) async throws -> StatusResponse {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let status = try await daemon.client().call(LocalAPI.status).value
            if condition(status) { return status }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DaemonTestError(message: "timed out waiting for \(what)")
    }

    static func health(_ json: String) throws -> HealthJSON.Health {
        try JSONDecoder().decode(HealthJSON.Wrapper.self, from: Data(json.utf8)).health
    }

    @Test("Healthy after an upload (exit 0), degraded by a dead letter (exit 1, in French too), down once pillboxd stops (exit 2)")
    func healthyDegradedDown() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let central = SimulatorProcess(directory: directory)
        try await central.start()
        defer { Task { await central.stop() } }
        try await central.setMode(#"{"mode":"reject","rejectIdentifierPrefix":"BAD"}"#)
        let daemon = try Self.daemon(directory, central: central)
        try await daemon.start()
        let socket = ["--socket", daemon.socketPath]

        try await Self.record(daemon, "GOOD-1")
        let sent = try await Self.waitFor(daemon, "the upload") { $0.pendingUploads == 0 && $0.lastUploadAt != nil }
        #expect(sent.keys?.map(\.purpose).sorted() == ["audit", "data", "index"])
        #expect(sent.disk.map { $0.totalBytes > 0 && $0.freeBytes <= $0.totalBytes } == true)
        #expect(sent.newestRecordAt != nil)
        #expect(sent.centralProfiles?.count == 0)
        // A low disk floor throughout (as doctor's tests have): the test machine's own disk is not under test.
        let healthy = try await runPillbox(["status", "--min-free-disk-percent", "1"] + socket)
        #expect(healthy.code == 0, "\(healthy.out)")
        #expect(healthy.out.contains("HEALTHY"))
        #expect(healthy.out.contains("Dead letters:"))
        #expect(healthy.out.range(of: #"Central record: +reachable; last answer \d+ s ago"#, options: .regularExpression) != nil, "\(healthy.out)")
        #expect(healthy.out.range(of: #"Last upload: +\d+ s ago"#, options: .regularExpression) != nil)
        #expect(healthy.out.range(of: #"Key \(data\): +data-[0-9a-f]{16}, made \d+ s ago"#, options: .regularExpression) != nil)
        #expect(!healthy.out.contains("\u{1B}["), "no colour when stdout is not a terminal")
        #expect(try await Self.health(runPillbox(["status", "--min-free-disk-percent", "1", "--json"] + socket).out).level == "healthy")

        // A refusal is a dead letter only while the central record takes others (docs/upload.md).
        try await Self.record(daemon, "BAD-1")
        try await Self.record(daemon, "GOOD-2")
        _ = try await Self.waitFor(daemon, "the dead letter") { $0.deadLetters == 1 }
        let degraded = try await runPillbox(["status", "--min-free-disk-percent", "1"] + socket)
        #expect(degraded.code == 1)
        #expect(degraded.out.contains("DEGRADED"))
        #expect(degraded.out.contains("  ! 1 dead letter(s): the central record refused them; see `pillbox queue --state failed`"))
        let json = try await runPillbox(["status", "--min-free-disk-percent", "1", "--json"] + socket)
        #expect(json.code == 1)
        let health = try Self.health(json.out)
        #expect(health.level == "degraded")
        #expect(health.exitCode == 1)
        #expect(health.reasons.map(\.code) == ["dead-letters"])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect(object?["deadLetters"] as? Int == 1, "the daemon's status fields are kept at the top level")

        let french = try await runPillbox(["status", "--min-free-disk-percent", "1"] + socket, environment: ["LANG": "fr_CA.UTF-8"])
        #expect(french.code == 1)
        #expect(french.out.contains("DÉGRADÉ"))
        #expect(french.out.contains("Lettres mortes :"))
        #expect(french.out.contains("  ! 1 lettre(s) morte(s) : le dossier central les a refusées"))
        #expect(french.out.range(of: #"Dernier envoi : +il y a \d+ s"#, options: .regularExpression) != nil, "\(french.out)")
        #expect(!french.out.contains("Dead letters"))

        #expect(try await daemon.stop() == 0)
        let down = try await runPillbox(["status", "--min-free-disk-percent", "1"] + socket)
        #expect(down.code == 2)
        #expect(down.out.contains("DOWN"))
        #expect(down.out.contains("pillboxd does not answer"))
        let downJSON = try await runPillbox(["status", "--min-free-disk-percent", "1", "--json"] + socket)
        #expect(downJSON.code == 2)
        #expect(try Self.health(downJSON.out).reasons.map(\.code) == ["daemon-down"])
        let downFrench = try await runPillbox(["status", "--min-free-disk-percent", "1"] + socket, environment: ["LC_MESSAGES": "fr_CA.UTF-8"])
        #expect(downFrench.code == 2)
        #expect(downFrench.out.contains("HORS SERVICE"))
    }

    @Test("A central record that refuses the credentials makes the box degraded (exit 1)")
    func centralRefuses() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let central = SimulatorProcess(directory: directory)
        try await central.start(mode: "forbidden")
        defer { Task { await central.stop() } }
        let daemon = try Self.daemon(directory, central: central)
        try await daemon.start()
        defer { Task { _ = try? await daemon.stop() } }
        try await Self.record(daemon, "REFUSED-1")
        _ = try await Self.waitFor(daemon, "the credentials problem") { $0.central.problem == "credentials" }
        let result = try await runPillbox(["status", "--min-free-disk-percent", "1", "--socket", daemon.socketPath])
        #expect(result.code == 1)
        #expect(result.out.contains("Central problem:"))
        #expect(result.out.contains("  ! the central record refuses uploads (credentials)"))
        #expect(result.out.range(of: #"Pending uploads: +1 \(oldest \d+ s ago\)"#, options: .regularExpression) != nil, "\(result.out)")
        let json = try await runPillbox(["status", "--min-free-disk-percent", "1", "--json", "--socket", daemon.socketPath])
        #expect(try Self.health(json.out).reasons.map(\.code) == ["central-refuses"])
    }

    @Test("Local-only mode: nothing is pending upload and the box is healthy")
    func localOnly() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { Task { await fixture.finish() } }
        _ = try await client.send("POST", "/v1/dispenses", body: Samples.json(Samples.dispense(id: "LOCAL-1")))
        let result = try await runPillbox(["status", "--min-free-disk-percent", "1", "--socket", fixture.daemon.socketPath])
        #expect(result.code == 0)
        #expect(result.out.range(of: #"Pending uploads: +none \(local-only mode\)"#, options: .regularExpression) != nil, "\(result.out)")
        #expect(result.out.range(of: #"Central record: +not configured \(local-only mode\)"#, options: .regularExpression) != nil)
        #expect(result.out.range(of: #"Records: +1\n"#, options: .regularExpression) != nil)
        #expect(!result.out.contains("Last upload"))
    }

    @Test("Shell completion scripts are generated for bash, zsh and fish and name every subcommand")
    func completions() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try await runPillbox(["--generate-completion-script", shell])
            #expect(result.code == 0)
            for command in ["status", "doctor", "dispense", "profile", "queue", "retry", "sync"] {
                #expect(result.out.contains(command), "\(shell) completion lacks \(command)")
            }
        }
        #expect(try await runPillbox(["--generate-completion-script", "bash"]).out.hasPrefix("#!/bin/bash"))
        let help = try await runPillbox(["help", "status"])
        #expect(help.out.contains("Exit codes:"))
        #expect(help.out.contains("2   down"))
    }
}
