import PillboxModel

/// Limits the local API enforces: the `limits` group of the configuration file. Every one is
/// configurable; over a limit the caller gets a clear status and the daemon keeps serving
/// everyone else. How the connection limits work together is in docs/configuration.md
/// ("Connections: who gets a slot").
package struct APILimits: SettingsGroup {
    /// Largest request body, in bytes (413 beyond).
    package var maxBodyBytes = 64 * 1024
    /// Largest request header section, in bytes (431 beyond).
    package var maxHeaderBytes = 16 * 1024
    /// Longest a request may take to arrive, from its first byte to its last, in seconds
    /// (408 beyond).
    package var requestTimeoutSeconds: Double = 10
    /// How long an idle keep-alive connection stays open, in seconds.
    package var idleTimeoutSeconds: Double = 60
    /// Connections kept open at once (the soft cap). A new connection beyond it is still
    /// accepted: it closes the longest-idle connection of the caller holding the most, so
    /// idle connections never keep a new one waiting.
    package var maxConnections = 64
    /// Connections open at once, whatever they do (the hard cap). Beyond it, when no idle
    /// connection can be closed, a new connection is answered 503 and closed.
    package var maxOpenConnections = 256
    /// Connections one client process (one uid and pid, from `SO_PEERCRED`) may hold. Its
    /// next one closes its own longest-idle connection, or is answered 503 and closed when
    /// all of its connections are busy.
    package var maxConnectionsPerPeer = 32
    /// Longest the daemon waits for a client to take a response, in seconds, from the
    /// response's first byte to its last; a client that reads slower is disconnected.
    package var responseTimeoutSeconds: Double = 10
    /// Length of the socket's queue of connections not yet accepted (`listen(2)` backlog;
    /// the kernel caps it at `net.core.somaxconn`).
    package var listenBacklog = 1024
    /// Requests per second one caller (one uid) may make, sustained; 0 turns the limit off.
    /// Beyond it (and its burst), a request is answered 429 with `Retry-After`, unrouted and
    /// unaudited. uid 0 (the technician's `sudo pillbox`) is never limited.
    package var requestsPerSecondPerUid = 100
    /// Requests one caller may make at once above the sustained rate (its bucket's size).
    package var requestBurstPerUid = 500
    /// Most results one profile or recall request returns.
    package var maxPageSize = 500
    /// Most dispenses one patient export (`GET /v1/patients/{nam}/export`) holds; a patient
    /// with more is answered 409 `export-too-large`.
    package var maxExportDispenses = 10_000
    /// Length limits on a dispense's text fields (`maxShortText`, `maxLongText`).
    package var validation = ValidationLimits.standard

    /// The defaults.
    package init() {}

    package static var settings: [Setting<APILimits>] {
        [
            Setting("maxBodyBytes", \.maxBodyBytes), Setting("maxHeaderBytes", \.maxHeaderBytes),
            Setting("requestTimeoutSeconds", \.requestTimeoutSeconds), Setting("idleTimeoutSeconds", \.idleTimeoutSeconds),
            Setting("maxConnections", \.maxConnections), Setting("maxOpenConnections", \.maxOpenConnections),
            Setting("maxConnectionsPerPeer", \.maxConnectionsPerPeer),
            Setting("responseTimeoutSeconds", \.responseTimeoutSeconds), Setting("listenBacklog", \.listenBacklog),
            Setting("requestsPerSecondPerUid", \.requestsPerSecondPerUid), Setting("requestBurstPerUid", \.requestBurstPerUid),
            Setting("maxPageSize", \.maxPageSize), Setting("maxExportDispenses", \.maxExportDispenses),
            Setting("maxShortText", \.validation.maxShortText), Setting("maxLongText", \.validation.maxLongText),
        ]
    }

    package func validate() throws(ConfigurationError) {
        try require("maxBodyBytes", maxBodyBytes, in: 1024...16 * 1024 * 1024)
        try require("maxHeaderBytes", maxHeaderBytes, in: 1024...1024 * 1024)
        try require("requestTimeoutSeconds", requestTimeoutSeconds, above: 0, atMost: 3600)
        try require("idleTimeoutSeconds", idleTimeoutSeconds, above: 0, atMost: 86_400)
        try require("maxConnections", maxConnections, in: 1...10_000)
        try require("maxPageSize", maxPageSize, in: 1...10_000)
        try require("maxExportDispenses", maxExportDispenses, in: 1...1_000_000)
        try require("maxOpenConnections", maxOpenConnections, in: 1...100_000)
        try require("maxConnectionsPerPeer", maxConnectionsPerPeer, in: 1...10_000)
        try require("responseTimeoutSeconds", responseTimeoutSeconds, above: 0, atMost: 3600)
        try require("listenBacklog", listenBacklog, in: 1...65_535)
        try require("requestsPerSecondPerUid", requestsPerSecondPerUid, in: 0...1_000_000)
        try require("requestBurstPerUid", requestBurstPerUid, in: 1...1_000_000)
        try require("maxShortText", validation.maxShortText, in: 16...10_000)
        try require("maxLongText", validation.maxLongText, in: 64...100_000)
        if maxOpenConnections < maxConnections {
            throw ConfigurationError("maxOpenConnections",
                                     "must be at least limits.maxConnections (the hard cap is above the soft one)")
        }
    }
}
