/// `POST /v1/sync` (202): an upload attempt was asked for.
package struct SyncResponse: Sendable, Equatable, Codable {
    /// Always `requested`.
    package var status: String

    package init(status: String = "requested") { self.status = status }
}
