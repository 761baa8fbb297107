import PillboxModel

/// `GET /v1/outbox`: upload queue entries, no patient data.
package struct OutboxPage: Sendable, Equatable, Codable {
    package var entries: [OutboxEntry]

    package init(entries: [OutboxEntry]) { self.entries = entries }
}
