/// Limits the local API enforces. Every one is configurable; over a limit the caller gets
/// a clear status and the daemon keeps serving everyone else.
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
    /// Connections served at once; further ones wait until one closes.
    public var maxConnections: Int
    /// Most results one profile or recall request returns.
    public var maxPageSize: Int

    public init(maxBodyBytes: Int = 64 * 1024, maxHeaderBytes: Int = 16 * 1024, requestTimeoutSeconds: Double = 10,
                idleTimeoutSeconds: Double = 60, maxConnections: Int = 64, maxPageSize: Int = 500) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
        self.maxPageSize = maxPageSize
    }
}
