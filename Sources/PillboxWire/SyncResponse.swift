/// `POST /v1/sync` (202): an upload attempt was asked for.
public struct SyncResponse: Sendable, Equatable, Codable {
    /// Always `requested`.
    public var status: String

    public init(status: String = "requested") { self.status = status }
}
