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
    /// Returns nil unless it is a letter, 2 digits, 2 letters, 2 digits.
    package static func normalizedATC(_ raw: String) -> String? {
        let scalars = Array(raw.uppercased().unicodeScalars)
        guard scalars.count == 7, scalars.allSatisfy(\.isASCII) else { return nil }
        let letter: (Unicode.Scalar) -> Bool = { ("A"..."Z").contains($0) }
        let digit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        let shape = [letter, digit, digit, letter, letter, digit, digit]
        return zip(shape, scalars).allSatisfy { $0($1) } ? String(String.UnicodeScalarView(scalars)) : nil
    }
}
