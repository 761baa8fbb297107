/// `GET /v1/health` when the store commits and answers reads (otherwise a problem).
package struct HealthResponse: Sendable, Equatable, Codable {
    /// Always `ok`.
    package var status: String

    package init(status: String = "ok") { self.status = status }
}
