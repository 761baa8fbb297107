import Foundation
import PillboxCentralSimulator
import PillboxTestSupport
import Testing

@Suite("Server lifecycle")
struct LifecycleTests {
    @Test("A port already in use makes run() and waitUntilRunning() throw instead of hanging")
    func portInUse() async throws {
        try await withCentral { central in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let clash = try SimulatorServer(
                configuration: SimulatorConfiguration(databasePath: directory.file("other.sqlite"), port: central.fhirPort,
                                                    adminPort: 0),
                logger: quietLogger)
            let waited = Task { try await clash.waitUntilRunning() }
            let runError = await #expect(throws: SimulatorError.self) { try await clash.run() }
            #expect(runError?.code == .startup)
            let waitError = await #expect(throws: SimulatorError.self) { _ = try await waited.value }
            #expect(waitError?.code == .startup)
            #expect(await clash.fhirPort == 0)
        }
    }

    @Test("Settings that cannot work are refused with the setting named")
    func invalidConfiguration() throws {
        var configuration = SimulatorConfiguration(databasePath: "/tmp/unused.sqlite", port: 70000)
        #expect(throws: SimulatorError(.configuration, "port 70000 is not in 0...65535")) { try configuration.validate() }
        configuration.port = 9000
        configuration.adminPort = 9000
        #expect(throws: SimulatorError(.configuration, "port and adminPort are both 9000 on 127.0.0.1")) {
            try configuration.validate()
        }
        configuration.adminPort = 0
        configuration.initialMode = FaultMode(mode: .flaky, failureRate: 1.5)
        #expect(throws: SimulatorError(.configuration, "initialMode: failureRate must be in 0...1")) {
            try configuration.validate()
        }
    }
}
