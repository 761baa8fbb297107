/// One stored version as the bytes of its answer: the JSON object `DispenseRecord` encodes to
/// (sorted keys, as `JSONCoding.encoder` writes them), built by splicing the opened payload's
/// `dispense` members beside the clear columns, without decoding or encoding the content.
package struct RecordJSON: Sendable, Equatable {
    /// The object's bytes.
    package var bytes: [UInt8]
    /// The dispensing software's id of the fill (to leave out its central copy).
    package var pharmacyDispenseId: String
    /// The patient's NAM (for the audit of the read).
    package var nam: String

    package init(bytes: [UInt8], pharmacyDispenseId: String, nam: String) {
        self.bytes = bytes
        self.pharmacyDispenseId = pharmacyDispenseId
        self.nam = nam
    }
}
