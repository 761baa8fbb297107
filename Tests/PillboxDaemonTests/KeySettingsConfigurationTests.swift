import Foundation
import PillboxDaemon
import PillboxTestSupport
import Testing

@Suite("The keys section of the configuration file")
struct KeySettingsConfigurationTests {
    @Test("Members set in the file are taken, the others keep their defaults (16 payloads, 20 ms)")
    func partialSection() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try ConfigurationTests.file(["keys": ["rotationBatchSize": 8]], in: directory)
        let configuration = try DaemonConfiguration.resolve(configFile: path, environment: [:])
        #expect(configuration.keys.rotationBatchSize == 8)
        #expect(configuration.keys.rotationPauseMilliseconds == 20)
        let defaults = try DaemonConfiguration.resolve(environment: [:]).keys
        #expect(defaults.rotationBatchSize == 16 && defaults.rotationPauseMilliseconds == 20)
    }

    @Test("Values out of range and unknown members stop the start and name the setting")
    func mistakes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cases: [([String: Any], String)] = [
            (["keys": ["rotationBatchSize": 0]], "setting keys.rotationBatchSize: is out of range: must be 1 to 1000"),
            (["keys": ["rotationBatchSize": 1001]], "setting keys.rotationBatchSize: is out of range: must be 1 to 1000"),
            (["keys": ["rotationPauseMilliseconds": -1]], "setting keys.rotationPauseMilliseconds: is out of range: must be 0 to 60000"),
            (["keys": ["rotationPauseMilliseconds": 60001]], "setting keys.rotationPauseMilliseconds: is out of range: must be 0 to 60000"),
            (["keys": ["batch": 1]], "setting keys.batch: unknown key"),
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
