import Foundation
import PillboxChecks
import PillboxDaemon
import PillboxTestSupport
import Testing

@Suite("The checks section of the configuration file")
struct CheckSettingsConfigurationTests {
    @Test("Members set in the file are taken, the others keep their defaults")
    func partialSection() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try ConfigurationTests.file(["checks": ["earlyRefillRemainingPercent": 40, "staleCacheSeconds": 3600]],
                                               in: directory)
        let configuration = try DaemonConfiguration.resolve(configFile: path, environment: [:])
        var expected = CheckSettings()
        expected.earlyRefillRemainingPercent = 40
        expected.staleCacheSeconds = 3600
        #expect(configuration.checks == expected)
        #expect(try DaemonConfiguration.resolve(environment: [:]).checks == CheckSettings())
    }

    @Test("Unknown members, wrong types and values out of range stop the start and name the setting")
    func mistakes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cases: [([String: Any], String)] = [
            (["checks": ["earlyRefill": 10]], "setting checks.earlyRefill: unknown key"),
            (["checks": ["earlyRefillRemainingPercent": "25"]], "setting checks.earlyRefillRemainingPercent: must be a number"),
            (["checks": ["maxLocalFills": 10.5]], "setting checks.maxLocalFills: must be a whole number"),
            (["checks": ["earlyRefillRemainingPercent": 100]], "setting checks.earlyRefillRemainingPercent: is out of range: must be 0 to 99"),
            (["checks": ["staleCacheSeconds": 10]], "setting checks.staleCacheSeconds: is out of range: must be 60 to 31536000"),
            (["checks": 5], "setting checks: must be an object"),
        ]
        for (object, expected) in cases {
            let path = try ConfigurationTests.file(object, in: directory)
            do {
                _ = try DaemonConfiguration.resolve(configFile: path, environment: [:])
                Issue.record("accepted \(object)")
            } catch {
                #expect(error.exitCode == 78)
                #expect(error.message.contains(expected), "\(error.message) does not contain \(expected)")
            }
        }
    }
}
