/// How lot numbers are compared: a recall by lot must find every fill of that lot, however
/// the lot was typed at the counter.
package enum LotNumber {
    /// The comparison form of a lot number: upper-cased, without white space and without
    /// hyphens or other dashes. "ab-123", "AB 123" and "AB123" all give "AB123".
    ///
    /// Only the blind index uses it; the stored lot (sealed in the record) stays as entered.
    package static func normalized(_ lot: String) -> String {
        var result = ""
        for scalar in lot.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .dashPunctuation
                || scalar == "\u{2212}" {  // MINUS SIGN, a common look-alike of the hyphen
                continue
            }
            result.unicodeScalars.append(scalar)
        }
        return result.uppercased()
    }
}
