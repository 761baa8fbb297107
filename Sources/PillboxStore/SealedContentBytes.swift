/// An opened version payload (`SealedContent`'s JSON, `{"dispense":{…},"reason":…}`) read
/// in place: where the dispense's members and the reason lie, and the two strings the
/// answers need. Nil when the bytes are not such an object (which AES-GCM has already ruled
/// out for anything the store wrote; the caller flags the row as unreadable).
struct SealedContentBytes {
    let bytes: [UInt8]
    /// The dispense object's members, in the order sealed (sorted keys).
    let dispense: [SealedJSON.Member]
    /// The reason's value bytes (a JSON string), when there is one.
    let reason: Range<Int>?
    let pharmacyDispenseId: String
    let nam: String

    init?(_ bytes: [UInt8]) {
        // One pass over the bytes: the document's members, the dispense's and the patient's.
        guard let levels = try? SealedJSON.document(bytes, expanding: ["dispense", "patient"]),
              let top = levels[0], let members = levels[1], let patientMembers = levels[2],
              let id = SealedJSON.member("pharmacyDispenseId", in: members, of: bytes).flatMap({ SealedJSON.string(bytes, $0.value) }),
              let nam = SealedJSON.member("nam", in: patientMembers, of: bytes).flatMap({ SealedJSON.string(bytes, $0.value) })
        else { return nil }
        var reason: Range<Int>?
        if let member = SealedJSON.member("reason", in: top, of: bytes), !SealedJSON.isNull(bytes, member.value) {
            guard SealedJSON.string(bytes, member.value) != nil else { return nil }
            reason = member.value
        }
        self.bytes = bytes
        self.dispense = members
        self.reason = reason
        self.pharmacyDispenseId = id
        self.nam = nam
    }

    /// One object of the dispense's members and `clear` (already JSON values), in raw key
    /// order as `JSONCoding.encoder`'s sorted keys would write them.
    func object(values: [UInt8], clear: ClearMembers) -> [UInt8] {
        SealedJSON.object(bytes, dispense, values: values, clear: clear)
    }
}
