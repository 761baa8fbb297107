/// Everything `pillbox-central-sim` can be told, with a default for every setting but the
/// database file. Checked when a `SimulatorServer` is built.
package struct SimulatorConfiguration: Sendable {
    /// Address of the FHIR listener.
    package var host: String = "127.0.0.1"
    /// Port of the FHIR listener; 0 picks a free one (see `SimulatorServer.waitUntilRunning()`).
    package var port: Int = 8090
    /// Address of the admin listener (plain HTTP, keep it on loopback).
    package var adminHost: String = "127.0.0.1"
    /// Port of the admin listener; 0 picks a free one.
    package var adminPort: Int = 8091
    /// The SQLite file that holds the stored resources; created when missing.
    package var databasePath: String
    /// When set, the FHIR listener serves HTTPS and requires a client certificate.
    package var tls: TLSFiles?
    /// Largest request body the FHIR listener reads; larger ones get 413.
    package var maxBodyBytes: Int = 16 * 1024 * 1024
    /// The fault mode at start.
    package var initialMode: FaultMode = .up

    /// A configuration with defaults for everything but the database file.
    package init(databasePath: String, host: String = "127.0.0.1", port: Int = 8090, adminHost: String = "127.0.0.1",
                adminPort: Int = 8091, tls: TLSFiles? = nil, maxBodyBytes: Int = 16 * 1024 * 1024,
                initialMode: FaultMode = .up) {
        self.databasePath = databasePath
        self.host = host
        self.port = port
        self.adminHost = adminHost
        self.adminPort = adminPort
        self.tls = tls
        self.maxBodyBytes = maxBodyBytes
        self.initialMode = initialMode
    }

    /// Throws a `SimulatorError` naming the first setting that cannot work, and why.
    package func validate() throws(SimulatorError) {
        if host.isEmpty { throw SimulatorError(.configuration, "host is empty") }
        if adminHost.isEmpty { throw SimulatorError(.configuration, "adminHost is empty") }
        if !(0...65535).contains(port) { throw SimulatorError(.configuration, "port \(port) is not in 0...65535") }
        if !(0...65535).contains(adminPort) {
            throw SimulatorError(.configuration, "adminPort \(adminPort) is not in 0...65535")
        }
        if port != 0 && port == adminPort && host == adminHost {
            throw SimulatorError(.configuration, "port and adminPort are both \(port) on \(host)")
        }
        if databasePath.isEmpty { throw SimulatorError(.configuration, "databasePath is empty") }
        if maxBodyBytes < 1 { throw SimulatorError(.configuration, "maxBodyBytes must be at least 1") }
        if let problem = initialMode.problem { throw SimulatorError(.configuration, "initialMode: \(problem)") }
    }
}
