/// `POST /v1/outbox/retry`: every dead letter (or those dead-lettered since a time) put back
/// in the upload queue.
package struct RetryAllResponse: Sendable, Equatable, Codable {
    /// Dead letters put back in the queue, due now.
    package var requeued: Int
    /// Dead letters left dead: a newer version of their dispense was sent or is queued.
    package var superseded: Int
    /// The `since` bound the daemon applied (RFC 3339), or absent for every dead letter.
    package var since: String?

    package init(requeued: Int, superseded: Int, since: String?) {
        self.requeued = requeued
        self.superseded = superseded
        self.since = since
    }
}
