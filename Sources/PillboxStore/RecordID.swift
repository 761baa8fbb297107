import PillboxCrypto

/// Pillbox's ids for new dispenses.
enum RecordID {
    /// A new random id: a version-4 UUID in lower case (the form `UUID().uuidString.lowercased()`
    /// gives), from OpenSSL's generator. Foundation's `UUID()` opens and reads `/dev/urandom`
    /// on every call here; this opens nothing.
    static func random() -> String {
        var bytes = SecureRandom.bytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
