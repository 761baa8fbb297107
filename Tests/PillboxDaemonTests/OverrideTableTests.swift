import Foundation
import PillboxDaemon
import PillboxModel
import PillboxTestSupport
import Testing

@Suite("Environment variables and flags override the file through one table")
struct OverrideTableTests {
    /// The value at `keyPath` in the configuration's `--check-config` output.
    static func value(_ configuration: DaemonConfiguration, at keyPath: String) throws -> JSONValue? {
        var value = try JSONDecoder().decode(JSONValue.self, from: Data(configuration.effectiveJSON().utf8))
        for key in keyPath.split(separator: ".") {
            guard case .object(let object) = value, let inner = object[String(key)] else { return nil }
            value = inner
        }
        return value
    }

    /// Per key path: the file's value, the environment's, the flag's (as text), and what each means.
    static let samples: [String: (file: JSONValue, environment: String, flag: String, meaning: [JSONValue])] = [
        "dev": (.bool(false), "yes", "true", [.bool(false), .bool(true), .bool(true)]),
        "dataDir": (.string("/file"), "/env", "/flag", [.string("/file"), .string("/env"), .string("/flag")]),
        "socket": (.string("/file.sock"), "/env.sock", "/flag.sock", [.string("/file.sock"), .string("/env.sock"), .string("/flag.sock")]),
        "keyFile": (.string("/file.key"), "/env.key", "/flag.key", [.string("/file.key"), .string("/env.key"), .string("/flag.key")]),
        "logLevel": (.string("debug"), "notice", "error", [.string("debug"), .string("notice"), .string("error")]),
        "central.url": (.string("http://127.0.0.1:1/fhir"), "http://127.0.0.1:2/fhir", "http://[::1]:3/fhir",
                        [.string("http://127.0.0.1:1/fhir"), .string("http://127.0.0.1:2/fhir"), .string("http://[::1]:3/fhir")]),
    ]

    @Test("Each row: the file sets it, its environment variable beats the file, its flag beats both")
    func eachRow() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(Set(SettingOverride.table.map(\.keyPath)) == Set(Self.samples.keys))
        #expect(SettingOverride.table.map(\.environment) == ["PILLBOX_DEV", "PILLBOX_DATA_DIR", "PILLBOX_SOCKET",
                                                             "PILLBOX_KEY_FILE", "PILLBOX_LOG_LEVEL", "PILLBOX_CENTRAL_URL"])
        #expect(SettingOverride.table.map(\.flag) == ["dev", "data-dir", "socket", "key-file", "log-level", "central-url"])
        for row in SettingOverride.table {
            let sample = try #require(Self.samples[row.keyPath])
            var file: [String: Any] = ["central": ["pharmacySystem": "https://p.example/ids", "pharmacyId": "1"]]
            let keys = row.keyPath.split(separator: ".").map(String.init)
            let fileValue: Any = switch sample.file {
            case .bool(let flag): flag
            case .string(let text): text
            default: ""
            }
            if keys.count == 2 { file[keys[0]] = ["pharmacySystem": "https://p.example/ids", "pharmacyId": "1", keys[1]: fileValue] } else { file[keys[0]] = fileValue }
            let path = try ConfigurationTests.file(file, in: directory)
            let layers = [
                try DaemonConfiguration.resolve(configFile: path, environment: [:]),
                try DaemonConfiguration.resolve(configFile: path, environment: [row.environment: sample.environment]),
                try DaemonConfiguration.resolve(configFile: path, flags: [row.flag: sample.flag],
                                                environment: [row.environment: sample.environment]),
            ]
            #expect(try layers.map { try Self.value($0, at: row.keyPath) } == sample.meaning, "\(row.keyPath)")
        }
    }

    @Test("An empty central URL from the environment means local-only over the file's; a bad PILLBOX_DEV is refused")
    func specialValues() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try ConfigurationTests.file(["central": ["url": "http://127.0.0.1:1/fhir", "pharmacySystem": "https://p.example/ids",
                                                            "pharmacyId": "1"]], in: directory)
        let local = try DaemonConfiguration.resolve(configFile: path, environment: ["PILLBOX_CENTRAL_URL": ""])
        #expect(local.upload.centralURL == nil)
        #expect(local.upload.pharmacy.pharmacyID == "1", "the rest of the file's central section stays")
        #expect(throws: DaemonError.self) {
            try DaemonConfiguration.resolve(environment: ["PILLBOX_DEV": "maybe"])
        }
        do {
            _ = try DaemonConfiguration.resolve(environment: ["PILLBOX_DEV": "maybe"])
        } catch {
            #expect(error.message == "environment PILLBOX_DEV: must be 1/true or 0/false")
            #expect(error.exitCode == 78)
        }
        let dev = try DaemonConfiguration.resolve(environment: ["PILLBOX_DEV": "", "PILLBOX_DATA_DIR": "/tmp/d"])
        #expect(dev.dev == false)
        #expect(dev.socketPath == "/run/pillbox/pillbox.sock")
    }
}
