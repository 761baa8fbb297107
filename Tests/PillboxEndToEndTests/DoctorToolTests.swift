import Foundation
import PillboxTestSupport
import Testing

/// `pillbox doctor --json`.
struct DoctorJSON: Decodable {
    struct Finding: Decodable {
        var check: String
        var outcome: String
        var detail: String
        var fix: String?
    }

    var ok: Bool
    var findings: [Finding]

    func outcome(_ check: String) -> String? { findings.first { $0.check == check }?.outcome }
    func finding(_ check: String) -> Finding? { findings.first { $0.check == check } }
}

/// `pillbox doctor` against a real daemon whose configuration file names its key, folder and
/// socket (tests run as root: CI does). The socket group is `nogroup` (Debian's gid 65534).
@Suite("pillbox doctor against the real daemon", .serialized)
struct DoctorToolTests {
    struct Setup {
        var directory: TemporaryDirectory
        var daemon: DaemonProcess
        var configPath: String
        var keyPath: String

        /// Doctor's arguments: this configuration, no NTP probe (machines differ), a low disk floor.
        func doctor(_ extra: [String] = [], environment: [String: String] = [:]) async throws -> (code: Int32, out: String, err: String) {
            try await runPillbox(["doctor", "--config", configPath, "--timedatectl", directory.file("no-timedatectl"),
                            "--min-free-disk-percent", "1"] + extra, environment: environment)
        }

        func doctorJSON(_ extra: [String] = []) async throws -> (code: Int32, report: DoctorJSON) {
            let result = try await doctor(["--json"] + extra)
            return (result.code, try JSONDecoder().decode(DoctorJSON.self, from: Data(result.out.utf8)))
        }
    }

    /// A running daemon set up as the install guide says, with `central` added to its configuration.
    static func setUp(central: [String: Any]? = nil, limits: [String: Any]? = nil) async throws -> Setup {
        let directory = try TemporaryDirectory()
        let keyPath = try TestKeys.write(.random(), to: directory.file("master.key"))
        let daemon = DaemonProcess(directory: directory, arguments: [])
        var config: [String: Any] = [
            "dataDir": directory.file("data"), "socket": daemon.socketPath, "keyFile": keyPath,
            "roles": ["groups": ["nogroup": "dispense"]],
        ]
        if let central { config["central"] = central }
        if let limits { config["limits"] = limits }
        let configPath = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let running = DaemonProcess(directory: directory, arguments: ["--config", configPath])
        try await running.start()
        // The socket's group and its folder, as the unit's Group= and RuntimeDirectoryMode= make them.
        try FileManager.default.setAttributes([.groupOwnerAccountID: 65534], ofItemAtPath: running.socketPath)
        try FileManager.default.setAttributes([.groupOwnerAccountID: 65534, .posixPermissions: 0o750], ofItemAtPath: directory.path)
        return Setup(directory: directory, daemon: running, configPath: configPath, keyPath: keyPath)
    }

    @Test("A good install passes: every check OK or skipped, no backup yet is a warning, exit 0")
    func goodSetup() async throws {
        let setup = try await Self.setUp()
        defer { Task { _ = try? await setup.daemon.stop(); setup.directory.remove() } }
        let (code, report) = try await setup.doctorJSON()
        #expect(code == 0, "\(report.findings.filter { $0.outcome == "fail" })")
        #expect(report.ok)
        #expect(report.findings.map(\.check) == ["config", "key", "data-folder", "socket", "disk", "daemon", "clients", "clock", "ntp", "central", "backup"])
        for check in ["config", "key", "data-folder", "socket", "disk", "daemon", "clients", "clock"] {
            #expect(report.outcome(check) == "pass", "\(check): \(report.finding(check)?.detail ?? "")")
        }
        #expect(report.outcome("ntp") == "skip")
        #expect(report.outcome("central") == "skip")
        #expect(report.outcome("backup") == "warn")
        let text = try await setup.doctor()
        #expect(text.code == 0)
        #expect(text.out.contains("OK    socket"))
        #expect(text.out.hasSuffix("8 passed, 0 failed, 1 warning(s)\n"), "\(text.out)")
        let french = try await setup.doctor(environment: ["LANG": "fr_CA.UTF-8"])
        #expect(french.out.hasSuffix("8 réussi(s), 0 échoué(s), 1 avertissement(s)\n"))
        #expect(french.out.contains("ATTN  backup"))
    }

    @Test("A program of another uid looping on the socket is a warning naming its uid; exit 0")
    func loopingClient() async throws {
        guard Nobody.available else {
            Issue.record(Comment(rawValue: Nobody.unavailable))
            return
        }
        let setup = try await Self.setUp(limits: ["requestsPerSecondPerUid": 1, "requestBurstPerUid": 2])
        defer { Task { _ = try? await setup.daemon.stop(); setup.directory.remove() } }
        // nogroup has the dispense role here; 20 health reads on one connection, as uid 65534.
        let codes = try await Nobody.get(Array(repeating: "/v1/health", count: 20), socket: setup.daemon.socketPath)
        #expect(Array(codes.prefix(2)) == ["200", "200"])
        #expect(codes.last == "429")
        let (code, report) = try await setup.doctorJSON()
        #expect(code == 0, "\(report.findings.filter { $0.outcome == "fail" })")
        #expect(report.outcome("clients") == "warn")
        let detail = try #require(report.finding("clients")?.detail)
        #expect(detail.contains("request(s) refused by the rate limit since pillboxd started, the last from uid 65534"), "\(detail)")
        #expect(report.finding("clients")?.fix?.contains("`ps -u 65534`") == true)
    }

    @Test("A 0644 key and a socket of the wrong group fail, each with what to do; exit 1")
    func badKeyAndSocketGroup() async throws {
        let setup = try await Self.setUp()
        defer { Task { _ = try? await setup.daemon.stop(); setup.directory.remove() } }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: setup.keyPath)
        try FileManager.default.setAttributes([.groupOwnerAccountID: 0], ofItemAtPath: setup.daemon.socketPath)
        let (code, report) = try await setup.doctorJSON()
        #expect(code == 1)
        #expect(!report.ok)
        #expect(report.findings.filter { $0.outcome == "fail" }.map(\.check) == ["key", "socket"])
        #expect(report.finding("key")?.detail.contains("has mode 0644: others may read it") == true)
        #expect(report.finding("key")?.fix == "chmod 600 \(setup.keyPath)")
        #expect(report.finding("socket")?.detail.contains("group root instead of nogroup") == true)
        #expect(report.finding("socket")?.fix?.contains("chgrp nogroup \(setup.daemon.socketPath)") == true)
        let text = try await setup.doctor()
        #expect(text.code == 1)
        #expect(text.out.contains("FAIL  key"))
        #expect(text.out.contains("→ chmod 600 \(setup.keyPath)"))
        let french = try await setup.doctor(environment: ["LANG": "fr_CA.UTF-8"])
        #expect(french.out.contains("ÉCHEC  key"))
        #expect(french.out.contains("a le mode 0644 : d'autres peuvent la lire"))
    }

    @Test("A client certificate expiring within 30 days fails; a long one that matches its key passes; the simulator accepts PUT-as-create")
    func certificates() async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        let short = try TestCertificates(in: files)  // leaves valid for 2 days
        let central = SimulatorProcess(directory: files)
        try await central.start()
        defer { Task { await central.stop() } }

        let plain: [String: Any] = ["url": central.fhirBase, "pharmacySystem": "https://pharmacy.example/ids/0042", "pharmacyId": "0042"]
        let reachable = try await Self.setUp(central: plain)
        let metadata = try await reachable.doctorJSON()
        #expect(metadata.report.outcome("central") == "pass", "\(metadata.report.finding("central")?.detail ?? "")")
        #expect(metadata.report.finding("central")?.detail.contains("accepts PUT-as-create") == true)
        _ = try? await reachable.daemon.stop()
        reachable.directory.remove()

        var tls = plain
        tls["url"] = "https://127.0.0.1:9/fhir"
        tls["tls"] = ["certificate": short.clientCertificate, "privateKey": short.clientKey, "caBundle": short.serverCA]
        let expiring = try Self.setUp(configOnly: tls)
        defer { expiring.directory.remove() }
        let result = try await expiring.doctorJSON()
        #expect(result.code == 1)
        #expect(result.report.outcome("tls") == "fail")
        #expect(result.report.finding("tls")?.detail.contains("client certificate expires in 1 day(s)") == true,
                "\(result.report.finding("tls")?.detail ?? "")")

        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "400",
                          "-subj", "/CN=pillbox-uploader", "-keyout", files.file("long.key"), "-out", files.file("long.pem")])
        tls["tls"] = ["certificate": files.file("long.pem"), "privateKey": files.file("long.key"), "caBundle": short.serverCA]
        let good = try Self.setUp(configOnly: tls)
        defer { good.directory.remove() }
        let passing = try await good.doctorJSON()
        #expect(passing.report.outcome("tls") == "pass", "\(passing.report.finding("tls")?.detail ?? "")")
        #expect(passing.report.finding("tls")?.detail.contains("key matches the certificate; 399 day(s) left") == true)

        tls["tls"] = ["certificate": files.file("long.pem"), "privateKey": short.clientKey, "caBundle": short.serverCA]
        let mismatched = try Self.setUp(configOnly: tls)
        defer { mismatched.directory.remove() }
        #expect(try await mismatched.doctorJSON().report.finding("tls")?.detail == "the private key does not match the certificate")
    }

    /// A configuration file only (no daemon), for the TLS checks.
    static func setUp(configOnly central: [String: Any]) throws -> Setup {
        let directory = try TemporaryDirectory()
        let keyPath = try TestKeys.write(.random(), to: directory.file("master.key"))
        let daemon = DaemonProcess(directory: directory, arguments: [])
        let config: [String: Any] = ["dataDir": directory.file("data"), "socket": daemon.socketPath, "keyFile": keyPath, "central": central]
        let configPath = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        return Setup(directory: directory, daemon: daemon, configPath: configPath, keyPath: keyPath)
    }

    static func openssl(_ arguments: [String]) throws {
        guard try Spawn.run(TestCertificates.openssl, arguments).code == 0 else {
            throw DaemonTestError(message: "openssl \(arguments.first ?? "") failed")
        }
    }
}
