/// `POST /v1/outbox/{seq}/retry`: the entry put back in the upload queue.
public struct RetryResponse: Sendable, Equatable, Codable {
    /// The outbox entry's sequence number.
    public var seq: Int64

    public init(seq: Int64) { self.seq = seq }
}
