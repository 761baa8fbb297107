import Foundation
import PillboxDaemon
import PillboxTestSupport
import Testing

@Suite("Setting statusCacheSeconds")
struct StatusCacheSettingTests {
    static func resolve(_ value: Any, in directory: TemporaryDirectory) throws -> DaemonConfiguration {
        let path = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: ["statusCacheSeconds": value]).write(to: URL(fileURLWithPath: path))
        return try DaemonConfiguration.resolve(configFile: path, environment: [:])
    }

    @Test("Defaults to 2 s, reads 0 (off) and fractions from the file, and is printed by --check-config")
    func readsAndPrints() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try DaemonConfiguration.resolve(environment: [:]).statusCacheSeconds == 2)
        #expect(try Self.resolve(0, in: directory).statusCacheSeconds == 0)
        let configuration = try Self.resolve(0.5, in: directory)
        #expect(configuration.statusCacheSeconds == 0.5)
        #expect(configuration.effectiveJSON().contains(#""statusCacheSeconds" : 0.5"#))
    }

    @Test("Values outside 0 to 60 s, or not a number, are refused naming the setting")
    func refusesOutOfRange() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for value: Any in [-0.5, 60.5, 3600, "2"] {
            do {
                _ = try Self.resolve(value, in: directory)
                Issue.record("statusCacheSeconds \(value) was accepted")
            } catch let error as DaemonError {
                #expect(error.message.contains("statusCacheSeconds"), "\(error.message)")
            }
        }
    }
}
