import PillboxModel

/// An intake's result, and the plaintext its version 1 was sealed from when it made one
/// (`Store.recordDispenseAnswering`).
package struct RecordedIntake: Sendable {
    package let result: IntakeResult
    /// Version 1's plaintext as sealed (`PreparedIntake.content`); unused unless `.created`.
    let content: [UInt8]

    /// A created dispense's `DispenseRecord` as `JSONCoding.encoder` writes it, spliced from
    /// the plaintext it was sealed from beside the record's clear members (as a single read is,
    /// `Store.dispenseAnswer`), not encoded again. Nil unless the result is `.created`.
    package func createdJSON() -> [UInt8]? {
        guard case .created(let record) = result, let content = SealedContentBytes(content) else { return nil }
        return Store.recordJSON(id: record.id, version: record.version, status: record.status, recordedAt: record.recordedAt,
                                sync: record.sync.state, content: content, extra: []).bytes
    }
}
