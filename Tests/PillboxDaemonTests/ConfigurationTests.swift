import Foundation
import PillboxDaemon
import PillboxTestSupport
import Testing

@Suite("Daemon configuration: defaults, file, environment, flags")
struct ConfigurationTests {
    static func file(_ object: [String: Any], in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("Production defaults: systemd paths, 64 KiB bodies, local-only, group pillbox dispenses")
    func productionDefaults() throws {
        let configuration = try DaemonConfiguration.resolve(environment: [:])
        #expect(configuration.dataDir == "/var/lib/pillbox")
        #expect(configuration.socketPath == "/run/pillbox/pillbox.sock")
        #expect(configuration.dev == false)
        #expect(configuration.limits.maxBodyBytes == 65_536)
        #expect(configuration.upload.centralURL == nil)
        #expect(configuration.roles.groups["pillbox"] == .dispense)
    }

    @Test("--dev puts everything under ./pillbox-data; the socket follows a moved data folder")
    func devDefaults() throws {
        let dev = try DaemonConfiguration.resolve(flags: ["dev": "true"], environment: [:])
        #expect(dev.dataDir == "pillbox-data")
        #expect(dev.socketPath == "pillbox-data/pillbox.sock")
        let moved = try DaemonConfiguration.resolve(flags: ["data-dir": "/tmp/x", "dev": "true"], environment: [:])
        #expect(moved.socketPath == "/tmp/x/pillbox.sock")
    }

    @Test("Flags beat the environment, which beats the file, which beats the defaults")
    func precedence() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try Self.file(["dataDir": "/from/file", "socket": "/from/file.sock", "logLevel": "debug",
                                  "limits": ["maxBodyBytes": 4096]], in: directory)
        let fileOnly = try DaemonConfiguration.resolve(configFile: path, environment: [:])
        #expect(fileOnly.dataDir == "/from/file")
        #expect(fileOnly.logLevel == "debug")
        #expect(fileOnly.limits.maxBodyBytes == 4096)
        let environment = ["PILLBOX_DATA_DIR": "/from/env", "PILLBOX_SOCKET": "/from/env.sock", "PILLBOX_CONFIG": path]
        let withEnvironment = try DaemonConfiguration.resolve(environment: environment)
        #expect(withEnvironment.dataDir == "/from/env")
        #expect(withEnvironment.socketPath == "/from/env.sock")
        let withFlags = try DaemonConfiguration.resolve(flags: ["data-dir": "/from/flag"], environment: environment)
        #expect(withFlags.dataDir == "/from/flag")
        #expect(withFlags.socketPath == "/from/env.sock")
    }

    @Test("Mistakes are errors that name the setting, with exit code 78")
    func errorsNameTheSetting() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cases: [([String: Any], String)] = [
            (["dataDir": "/x", "colour": "blue"], "setting colour: unknown key"),
            (["limits": ["maxBodyBytes": 10]], "setting limits.maxBodyBytes: is out of range"),
            (["limits": ["maxConnections": "many"]], "setting limits.maxConnections: must be a whole number"),
            (["roles": ["users": ["root": "superuser"]]], "setting roles.users.root: must be \"read\", \"dispense\" or \"admin\""),
            (["roles": ["groups": ["no-such-group-pillbox-test": "read"]]], "no group \"no-such-group-pillbox-test\""),
            (["central": ["url": "http://central.example/fhir", "pharmacySystem": "https://p.example", "pharmacyId": "1"]],
             "plain http is allowed only on loopback"),
            (["central": ["url": "https://central.example/fhir", "pharmacySystem": "https://p.example", "pharmacyId": "1"]],
             "central.tls: https needs a client certificate"),
            (["central": ["url": "http://127.0.0.1:8090/fhir"]], "set the pharmacy's identifier namespace URI and id"),
            (["central": ["batchsize": 5]], "setting central.batchsize: unknown key"),
            (["socket": String(repeating: "s", count: 120)], "setting socket: must be a path of 1 to 107 bytes"),
        ]
        for (object, expected) in cases {
            let path = try Self.file(object, in: directory)
            do {
                _ = try DaemonConfiguration.resolve(configFile: path, environment: [:])
                Issue.record("accepted \(object)")
            } catch {
                #expect(error.exitCode == 78)
                #expect(error.message.contains(expected), "\(error.message) does not contain \(expected)")
            }
        }
    }

    @Test("The central section, --central-url and PILLBOX_CENTRAL_URL configure uploads")
    func centralSection() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try Self.file(["central": [
            "url": "http://localhost:8090/fhir", "pharmacySystem": "https://pharmacy.example/ids/7", "pharmacyId": "7",
            "batchSize": 50, "backoffMaxSeconds": 120, "prefetch": ["recentDays": 14],
        ]], in: directory)
        let configuration = try DaemonConfiguration.resolve(configFile: path, environment: [:])
        #expect(configuration.upload.centralURL == "http://localhost:8090/fhir")
        #expect(configuration.upload.pharmacy.pharmacyID == "7")
        #expect(configuration.upload.batchSize == 50)
        #expect(configuration.upload.backoffMaxSeconds == 120)
        #expect(configuration.upload.prefetch.recentDays == 14)
        let environment = try DaemonConfiguration.resolve(configFile: path,
                                                          environment: ["PILLBOX_CENTRAL_URL": "http://127.0.0.1:9/fhir"])
        #expect(environment.upload.centralURL == "http://127.0.0.1:9/fhir")
        let flag = try DaemonConfiguration.resolve(configFile: path, flags: ["central-url": ""], environment: [:])
        #expect(flag.upload.centralURL == nil, "an empty --central-url means local-only")
    }

    @Test("The effective configuration printed by --check-config reads back as a configuration file")
    func effectiveJSONRoundTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let original = try DaemonConfiguration.resolve(flags: ["data-dir": "/data", "socket": "/run/p.sock"], environment: [:])
        let path = directory.file("effective.json")
        try Data(original.effectiveJSON().utf8).write(to: URL(fileURLWithPath: path))
        let reread = try DaemonConfiguration.resolve(configFile: path, environment: [:])
        #expect(reread == original)
    }
}
