import PillboxModel

/// The answer of a write (`POST /v1/dispenses`, corrections): the recorded version's fields,
/// and beside them the checks' `findings`, `coverage` and `skippedChecks`. Without `checks`
/// (the checks could not read the store) those members are absent, never an empty list.
public struct RecordedDispense: Sendable, Equatable, Codable {
    public var record: DispenseRecord
    public var checks: CheckResponse?

    public init(record: DispenseRecord, checks: CheckResponse?) {
        self.record = record
        self.checks = checks
    }

    enum ChecksKey: String, CodingKey { case findings }

    public init(from decoder: any Decoder) throws {
        record = try DispenseRecord(from: decoder)
        let container = try decoder.container(keyedBy: ChecksKey.self)
        checks = container.contains(.findings) ? try CheckResponse(from: decoder) : nil
    }

    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        try checks?.encode(to: encoder)
    }
}
