import PillboxModel

/// The answer of a write (`POST /v1/dispenses`, corrections): the recorded version's fields,
/// and beside them the checks' `findings`, `coverage` and `skippedChecks`. Without `checks`
/// (the checks could not read the store) those members are absent, never an empty list.
package struct RecordedDispense: Sendable, Equatable, Codable {
    package var record: DispenseRecord
    package var checks: CheckResponse?

    package init(record: DispenseRecord, checks: CheckResponse?) {
        self.record = record
        self.checks = checks
    }

    enum ChecksKey: String, CodingKey { case findings }

    package init(from decoder: any Decoder) throws {
        record = try DispenseRecord(from: decoder)
        let container = try decoder.container(keyedBy: ChecksKey.self)
        checks = container.contains(.findings) ? try CheckResponse(from: decoder) : nil
    }

    package func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        try checks?.encode(to: encoder)
    }
}
