import PillboxModel

/// `GET /v1/dispenses/{id}/history`: every version of a dispense, oldest first.
public struct HistoryResponse: Sendable, Equatable, Codable {
    public var versions: [DispenseRecord]

    public init(versions: [DispenseRecord]) { self.versions = versions }
}
