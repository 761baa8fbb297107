/// `GET /v1/health` when the store commits and answers reads (otherwise a problem).
public struct HealthResponse: Sendable, Equatable, Codable {
    /// Always `ok`.
    public var status: String

    public init(status: String = "ok") { self.status = status }
}
