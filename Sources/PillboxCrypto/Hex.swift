/// Hexadecimal encoding of byte arrays.
package enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lowercase hexadecimal, two characters per byte.
    package static func encode(_ bytes: [UInt8]) -> String {
        var characters = [UInt8]()
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Decodes hexadecimal text (upper- or lowercase digits).
    ///
    /// - Returns: The bytes, or `nil` if the text has an odd length or contains any
    ///   character other than `0-9`, `a-f`, `A-F` (whitespace is not skipped).
    package static func decode(_ string: String) -> [UInt8]? {
        decode(utf8: Array(string.utf8))
    }

    /// Decodes hexadecimal UTF-8 code units; `nil` on odd length or a non-hex character.
    static func decode(utf8 characters: [UInt8]) -> [UInt8]? {
        guard characters.count % 2 == 0 else { return nil }
        var result = [UInt8]()
        result.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = value(of: characters[index]), let low = value(of: characters[index + 1])
            else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
