/// An outbox entry as technicians see it (`GET /v1/outbox`): no patient data but the
/// server's OperationOutcome, which is sealed at rest and shown only to admins.
package struct OutboxEntry: Sendable, Equatable, Codable {
    package var seq: Int64
    package var dispenseId: String
    package var version: Int
    package var state: SyncState
    package var attempts: Int
    package var createdAt: String
    package var nextAttemptAt: String?
    package var sentAt: String?
    /// Non-identifying summary of the last failure, e.g. "HTTP 422 (invalid)".
    package var lastError: String?
    /// The central record's OperationOutcome for a dead letter, as it sent it.
    package var outcome: JSONValue?

    package init(seq: Int64, dispenseId: String, version: Int, state: SyncState, attempts: Int, createdAt: String,
                nextAttemptAt: String?, sentAt: String?, lastError: String?, outcome: JSONValue?) {
        self.seq = seq
        self.dispenseId = dispenseId
        self.version = version
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.sentAt = sentAt
        self.lastError = lastError
        self.outcome = outcome
    }
}
