import PillboxModel

/// `GET /v1/outbox`: upload queue entries, no patient data.
public struct OutboxPage: Sendable, Equatable, Codable {
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// One version waiting for, done with, or refused by the upload.
    public struct Entry: Sendable, Equatable, Codable {
        public var seq: Int64
        public var dispenseId: String
        public var version: Int
        public var state: SyncState
        public var attempts: Int
        public var createdAt: String
        public var nextAttemptAt: String?
        public var sentAt: String?
        /// Non-identifying summary of the last failure, e.g. "HTTP 422 (invalid)".
        public var lastError: String?
        /// The central record's OperationOutcome for a dead letter, as it sent it.
        public var outcome: JSONValue?

        public init(seq: Int64, dispenseId: String, version: Int, state: SyncState, attempts: Int, createdAt: String,
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
}
