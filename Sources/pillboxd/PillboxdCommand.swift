import ArgumentParser
import Foundation
import Logging
import Metrics
import PillboxDaemon
import Prometheus

/// `pillboxd`: parses arguments, sets up logging and metrics, and runs the daemon.
struct PillboxdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pillboxd",
        abstract: "Pillbox daemon: the pharmacy's encrypted local record of dispensed medications.",
        discussion: """
            Settings come from defaults, then --config FILE, then PILLBOX_* environment variables, then flags.
            Exit codes: 78 configuration or key problem, 74 data folder or socket problem.
            See docs/configuration.md.
            """)

    @Option(name: .long, help: "Configuration file (JSON).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Data folder (database, dev key).")
    var dataDir: String?

    @Option(name: .long, help: "Unix socket path of the local API.")
    var socket: String?

    @Option(name: .customLong("key-file"), help: "Master key file: 32 bytes or 64 hex characters, mode 0600.")
    var keyFile: String?

    @Flag(name: .long, help: "Embedded defaults for a first run: ./pillbox-data and a generated dev key (never for real data).")
    var dev = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("central-url"), help: "FHIR base URL of the central record (https; http only on loopback). None: local-only.")
    var centralURL: String?

    @Flag(name: .customLong("check-config"), help: "Validate and print the effective configuration, then exit.")
    var checkConfig = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        // Flags by name, as in SettingOverride.table.
        let flags = ["data-dir": dataDir, "socket": socket, "key-file": keyFile, "dev": dev ? "true" : nil,
                     "log-level": logLevel, "central-url": centralURL].compactMapValues { $0 }
        do {
            let configuration = try DaemonConfiguration.resolve(configFile: config, flags: flags,
                                                                environment: environment)
            if checkConfig {
                FileHandle.standardOutput.write(Data((configuration.effectiveJSON() + "\n").utf8))
                return
            }
            // Files the daemon creates (database, WAL, dev key) are for its own user only.
            umask(0o077)
            let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            let logger = Logger(label: "pillboxd")
            let daemon = try Daemon.build(configuration: configuration, environment: environment, registry: registry,
                                          logger: logger)
            try await daemon.run()
        } catch let error as DaemonError {
            FileHandle.standardError.write(Data("pillboxd: \(error.message)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }
}
