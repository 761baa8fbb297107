import Foundation
import Logging
@testable import PillboxDaemon
import PillboxTestSupport
import Testing

@Suite("Connection limits in the configuration")
struct ConnectionLimitsConfigurationTests {
    @Test("Defaults: 64 kept, 256 open at most, 32 per process, 10 s to take a response, backlog 1024, 100 requests a second per uid with a burst of 500")
    func defaults() throws {
        let limits = try DaemonConfiguration.resolve(environment: [:]).limits
        #expect(limits.maxConnections == 64)
        #expect(limits.maxOpenConnections == 256)
        #expect(limits.maxConnectionsPerPeer == 32)
        #expect(limits.responseTimeoutSeconds == 10)
        #expect(limits.listenBacklog == 1024)
        #expect(limits.requestsPerSecondPerUid == 100)
        #expect(limits.requestBurstPerUid == 500)
    }

    @Test("The file sets each one")
    func fromFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try ConfigurationTests.file(["limits": [
            "maxConnections": 8, "maxOpenConnections": 100, "maxConnectionsPerPeer": 4,
            "responseTimeoutSeconds": 2.5, "listenBacklog": 64, "requestsPerSecondPerUid": 0, "requestBurstPerUid": 20,
        ]], in: directory)
        let limits = try DaemonConfiguration.resolve(configFile: path, environment: [:]).limits
        #expect(limits.maxConnections == 8)
        #expect(limits.maxOpenConnections == 100)
        #expect(limits.maxConnectionsPerPeer == 4)
        #expect(limits.responseTimeoutSeconds == 2.5)
        #expect(limits.listenBacklog == 64)
        #expect(limits.requestsPerSecondPerUid == 0)
        #expect(limits.requestBurstPerUid == 20)
    }

    @Test("Values out of range are refused with the setting's name")
    func outOfRange() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cases: [([String: Any], String)] = [
            (["maxOpenConnections": 0], "setting limits.maxOpenConnections: is out of range"),
            (["maxOpenConnections": 100_001], "setting limits.maxOpenConnections: is out of range"),
            (["maxConnections": 300], "setting limits.maxOpenConnections: must be at least limits.maxConnections"),
            (["maxConnectionsPerPeer": 0], "setting limits.maxConnectionsPerPeer: is out of range"),
            (["responseTimeoutSeconds": 0], "setting limits.responseTimeoutSeconds: is out of range"),
            (["responseTimeoutSeconds": 3601], "setting limits.responseTimeoutSeconds: is out of range"),
            (["listenBacklog": 0], "setting limits.listenBacklog: is out of range"),
            (["listenBacklog": 65_536], "setting limits.listenBacklog: is out of range"),
            (["listenBacklog": "deep"], "setting limits.listenBacklog: must be a whole number"),
            (["requestsPerSecondPerUid": -1], "setting limits.requestsPerSecondPerUid: is out of range"),
            (["requestsPerSecondPerUid": 1_000_001], "setting limits.requestsPerSecondPerUid: is out of range"),
            (["requestBurstPerUid": 0], "setting limits.requestBurstPerUid: is out of range"),
            (["requestBurstPerUid": 1.5], "setting limits.requestBurstPerUid: must be a whole number"),
        ]
        for (limits, expected) in cases {
            let path = try ConfigurationTests.file(["limits": limits], in: directory)
            do {
                _ = try DaemonConfiguration.resolve(configFile: path, environment: [:])
                Issue.record("accepted \(limits)")
            } catch {
                #expect(error.exitCode == 78)
                #expect(error.message.contains(expected), "\(error.message) does not contain \(expected)")
            }
        }
    }

    @Test("The descriptor limit is raised to fit the hard cap; beyond the hard limit, fewer connections are used")
    func descriptorBudget() {
        let logger = Logger(label: "test")
        #expect(FileDescriptorBudget.fit(openConnections: 256, logger: logger) == 256)
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        #expect(limit.rlim_cur >= 256 + 128)
        guard limit.rlim_max < rlim_t(Int32.max) else { return }
        let beyond = Int(limit.rlim_max) + 1000
        #expect(FileDescriptorBudget.fit(openConnections: beyond, logger: logger) == Int(limit.rlim_max) - 128)
    }
}
