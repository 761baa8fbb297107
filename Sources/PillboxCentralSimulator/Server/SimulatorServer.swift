import Foundation
import Logging
import NIOSSL
import ServiceLifecycle

/// The central health record simulator: a FHIR listener that stores MedicationDispense
/// resources (with fault modes) and an admin listener that steers it.
///
/// Run it as a `Service` in a `ServiceGroup`, or call `run()` in a task and cancel the task
/// to stop. Learn the bound ports (useful with port 0) from `waitUntilRunning()`.
package final class SimulatorServer: Service, Sendable {
    /// The configuration it was built with.
    package let configuration: SimulatorConfiguration
    let logger: Logger
    let store: SimulatorStore
    let stats = StatsRecorder()
    let faults: FaultSwitch
    let readiness = Readiness()
    let tlsConfiguration: TLSConfiguration?

    /// Checks the configuration, reads the TLS files and opens the database. Throws a
    /// `SimulatorError` naming the setting or file at fault.
    package init(configuration: SimulatorConfiguration, logger: Logger) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        self.tlsConfiguration = try configuration.tls?.serverConfiguration()
        self.store = try SimulatorStore.open(path: configuration.databasePath)
        self.faults = FaultSwitch(configuration.initialMode)
    }

    /// Runs both listeners until the task is cancelled or a graceful shutdown is requested.
    /// Throws a `SimulatorError` (`.startup`) when a listener cannot be bound. Call it once.
    package func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: makeFHIRApplication()), .init(service: makeAdminApplication())],
            logger: logger))
        do {
            try await group.run()
        } catch where !Task.isCancelled {
            readiness.stopped(SimulatorError(.startup, "pillbox-central-sim stopped before listening: \(error)"))
            throw SimulatorError(.startup, "pillbox-central-sim failed: \(error)")
        } catch {
            // Cancelled: a normal way to stop.
        }
        readiness.stopped(SimulatorError(.startup, "pillbox-central-sim stopped before listening"))
        logger.info("pillbox-central-sim stopped")
    }

    /// The bound ports, once both listeners accept connections. Throws when the server
    /// stopped before that, or when the waiting task is cancelled.
    package func waitUntilRunning() async throws -> (fhirPort: Int, adminPort: Int) {
        try await readiness.wait()
    }

    /// The FHIR listener's bound port, once running; 0 if the server stopped before binding.
    package var fhirPort: Int {
        get async { (try? await readiness.wait())?.fhirPort ?? 0 }
    }

    /// The admin listener's bound port, once running; 0 if the server stopped before binding.
    package var adminPort: Int {
        get async { (try? await readiness.wait())?.adminPort ?? 0 }
    }

    /// The fault mode in force.
    package var mode: FaultMode { faults.mode }

    /// Puts `mode` in force for the next connections and requests (as `POST /admin/mode`).
    package func setMode(_ mode: FaultMode) {
        faults.set(mode)
        logger.notice("Fault mode set", metadata: ["central.mode": "\(mode.mode.rawValue)"])
    }

    /// The counters now.
    package func stats() async throws -> SimulatorStats {
        stats.snapshot(resources: try await store.count())
    }

    /// Every stored resource, by id.
    package func resources() async throws -> [StoredResource] {
        try await store.allResources()
    }

    /// Deletes every resource and zeroes the counters (as `POST /admin/reset`).
    package func reset() async throws {
        try await store.deleteAll()
        stats.reset()
        logger.notice("Central data and counters reset")
    }
}
