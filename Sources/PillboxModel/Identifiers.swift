/// Rules for the identifiers a dispense carries.
package enum Identifiers {
    /// Normalizes a Quebec health insurance number (NAM): spaces removed, upper-case.
    /// Returns nil unless the result is 4 letters followed by 8 digits.
    package static func normalizedNAM(_ raw: String) -> String? {
        let compact = raw.filter { $0 != " " }
        guard compact.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let upper = compact.uppercased()
        let scalars = Array(upper.unicodeScalars)
        guard scalars.count == 12 else { return nil }
        let letters = scalars[0..<4].allSatisfy { ("A"..."Z").contains($0) }
        let digits = scalars[4..<12].allSatisfy { ("0"..."9").contains($0) }
        return letters && digits ? upper : nil
    }

    /// True for a Health Canada Drug Identification Number: exactly 8 ASCII digits.
    package static func isDIN(_ value: String) -> Bool {
        value.unicodeScalars.count == 8 && value.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// Normalizes a WHO ATC level-5 code (one substance): upper-case, e.g. `A10BA02`.
    /// Returns nil unless it is a letter, 2 digits, 2 letters, 2 digits, all ASCII (as
    /// docs/openapi.yaml's pattern says): like a NAM, a letter that upper-cases into ASCII
    /// ("ı" into "I") is refused, not turned into another code. Byte by byte, without
    /// Foundation's upper-casing: the checks normalize every central fill's code.
    package static func normalizedATC(_ raw: String) -> String? {
        guard raw.utf8.count == 7 else { return nil }
        var valid = true
        let upper = String(unsafeUninitializedCapacity: 7) { buffer in
            for (offset, byte) in raw.utf8.enumerated() {
                let upper = (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
                let letter = offset == 0 || offset == 3 || offset == 4
                valid = valid && (letter ? (0x41...0x5A).contains(upper) : (0x30...0x39).contains(upper))
                buffer[offset] = upper
            }
            return 7
        }
        return valid ? upper : nil
    }
}
