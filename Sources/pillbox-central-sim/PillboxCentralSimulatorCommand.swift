import ArgumentParser
import Foundation
import Logging
import PillboxCentralSimulator

/// `pillbox-central-sim`: parses arguments, sets up logging and runs the central record simulator.
@main
struct PillboxCentralSimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pillbox-central-sim",
        abstract: "Central health record simulator: a small FHIR R4 server for MedicationDispense, with fault modes.",
        discussion: """
            Prints `READY fhir=PORT admin=PORT` on standard output once both listeners accept
            connections (the real ports when 0 is given). Steer it at http://ADMIN/admin/mode.
            Valid modes: \(FaultMode.validModes.joined(separator: ", ")).
            Exit codes: 78 configuration, TLS or database problem; 74 a listener could not start.
            """)

    @Option(name: .long, help: "SQLite file for stored resources (created when missing).")
    var data: String

    @Option(name: .long, help: "Address of the FHIR and admin listeners.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "FHIR listener port (0 picks a free one).")
    var port = 8090

    @Option(name: .customLong("admin-port"), help: "Admin listener port (0 picks a free one).")
    var adminPort = 8091

    @Option(name: .customLong("tls-cert"), help: "Server certificate chain (PEM); enables HTTPS with client certificates.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Server private key (PEM).")
    var tlsKey: String?

    @Option(name: .customLong("client-ca"), help: "CA that signs client certificates (PEM).")
    var clientCA: String?

    @Option(name: .long, help: "Fault mode at start, as a name (up, down, 503, ...) or JSON ({\"mode\":\"503\",\"retryAfterSeconds\":2}).")
    var mode = "up"

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body the FHIR listener reads.")
    var maxBodyBytes = 16 * 1024 * 1024

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        let tlsParts = [tlsCert, tlsKey, clientCA].compactMap { $0 }
        guard tlsParts.isEmpty || tlsParts.count == 3 else {
            throw ValidationError("--tls-cert, --tls-key and --client-ca go together")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical")
        }
    }

    func run() async throws {
        do {
            let configuration = try makeConfiguration()
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "pillbox-central-sim")
            let server = try SimulatorServer(configuration: configuration, logger: logger)
            try await server.runUntilTerminated { ports in
                FileHandle.standardOutput.write(Data("READY fhir=\(ports.fhirPort) admin=\(ports.adminPort)\n".utf8))
            }
        } catch let error as SimulatorError {
            FileHandle.standardError.write(Data("pillbox-central-sim: \(error.message)\n".utf8))
            throw ExitCode(error.code == .startup ? 74 : 78)
        }
    }

    private func makeConfiguration() throws(SimulatorError) -> SimulatorConfiguration {
        let initialMode: FaultMode
        if mode.hasPrefix("{") {
            initialMode = try FaultMode.parse(json: Data(mode.utf8))
        } else if let kind = FaultMode.Kind(rawValue: mode) {
            initialMode = FaultMode(mode: kind)
        } else {
            throw SimulatorError(.configuration,
                               "unknown --mode \(mode); valid modes: \(FaultMode.validModes.joined(separator: ", "))")
        }
        var tls: TLSFiles?
        if let tlsCert, let tlsKey, let clientCA {
            tls = TLSFiles(certificateChainPath: tlsCert, privateKeyPath: tlsKey, clientCAPath: clientCA)
        }
        let configuration = SimulatorConfiguration(
            databasePath: data, host: host, port: port, adminHost: host, adminPort: adminPort, tls: tls,
            maxBodyBytes: maxBodyBytes, initialMode: initialMode)
        try configuration.validate()
        return configuration
    }
}
