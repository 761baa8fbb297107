/// `POST /v1/outbox/{seq}/retry`: the entry put back in the upload queue.
package struct RetryResponse: Sendable, Equatable, Codable {
    /// The outbox entry's sequence number.
    package var seq: Int64

    package init(seq: Int64) { self.seq = seq }
}
