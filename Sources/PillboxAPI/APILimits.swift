/// Limits the local API enforces. Every one is configurable; over a limit the caller gets
/// a clear status and the daemon keeps serving everyone else. How the connection limits
/// work together is in docs/configuration.md ("Connections: who gets a slot").
public struct APILimits: Sendable, Equatable {
    /// Largest request body, in bytes (413 beyond).
    public var maxBodyBytes: Int
    /// Largest request header section, in bytes (431 beyond).
    public var maxHeaderBytes: Int
    /// Longest a request may take to arrive, from its first byte to its last, in seconds
    /// (408 beyond).
    public var requestTimeoutSeconds: Double
    /// How long an idle keep-alive connection stays open, in seconds.
    public var idleTimeoutSeconds: Double
    /// Connections kept open at once (the soft cap). A new connection beyond it is still
    /// accepted: it closes the longest-idle connection of the caller holding the most, so
    /// idle connections never keep a new one waiting.
    public var maxConnections: Int
    /// Connections open at once, whatever they do (the hard cap). Beyond it, when no idle
    /// connection can be closed, a new connection is answered 503 and closed.
    public var maxOpenConnections: Int
    /// Connections one client process (one uid and pid, from `SO_PEERCRED`) may hold. Its
    /// next one closes its own longest-idle connection, or is answered 503 and closed when
    /// all of its connections are busy.
    public var maxConnectionsPerPeer: Int
    /// Longest the daemon waits for a client to take a response, in seconds, from the
    /// response's first byte to its last; a client that reads slower is disconnected.
    public var responseTimeoutSeconds: Double
    /// Length of the socket's queue of connections not yet accepted (`listen(2)` backlog;
    /// the kernel caps it at `net.core.somaxconn`).
    public var listenBacklog: Int
    /// Most results one profile or recall request returns.
    public var maxPageSize: Int

    public init(maxBodyBytes: Int = 64 * 1024, maxHeaderBytes: Int = 16 * 1024, requestTimeoutSeconds: Double = 10,
                idleTimeoutSeconds: Double = 60, maxConnections: Int = 64, maxOpenConnections: Int = 256,
                maxConnectionsPerPeer: Int = 32, responseTimeoutSeconds: Double = 10, listenBacklog: Int = 1024,
                maxPageSize: Int = 500) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
        self.maxOpenConnections = maxOpenConnections
        self.maxConnectionsPerPeer = maxConnectionsPerPeer
        self.responseTimeoutSeconds = responseTimeoutSeconds
        self.listenBacklog = listenBacklog
        self.maxPageSize = maxPageSize
    }
}
