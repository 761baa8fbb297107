import Foundation
import PillboxDaemon
import PillboxTestSupport
import Testing

@Suite("Setting healthProbeSeconds")
struct HealthProbeSettingTests {
    static func resolve(_ value: Any, in directory: TemporaryDirectory) throws -> DaemonConfiguration {
        let path = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: ["healthProbeSeconds": value]).write(to: URL(fileURLWithPath: path))
        return try DaemonConfiguration.resolve(configFile: path, environment: [:])
    }

    @Test("Defaults to 15 s, reads fractions from the file, and is printed by --check-config")
    func readsAndPrints() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try DaemonConfiguration.resolve(environment: [:]).healthProbeSeconds == 15)
        let configuration = try Self.resolve(0.5, in: directory)
        #expect(configuration.healthProbeSeconds == 0.5)
        #expect(configuration.effectiveJSON().contains(#""healthProbeSeconds" : 0.5"#))
    }

    @Test("Values outside 0.1 to 3600 s, or not a number, are refused naming the setting")
    func refusesOutOfRange() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for value: Any in [0, 0.05, 3601, -1, "15"] {
            do {
                _ = try Self.resolve(value, in: directory)
                Issue.record("healthProbeSeconds \(value) was accepted")
            } catch let error as DaemonError {
                #expect(error.message.contains("healthProbeSeconds"), "\(error.message)")
            }
        }
    }
}
