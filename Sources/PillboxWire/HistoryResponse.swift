import PillboxModel

/// `GET /v1/dispenses/{id}/history`: every version of a dispense, oldest first.
package struct HistoryResponse: Sendable, Equatable, Codable {
    package var versions: [DispenseRecord]

    package init(versions: [DispenseRecord]) { self.versions = versions }
}
