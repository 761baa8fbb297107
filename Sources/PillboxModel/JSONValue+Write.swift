extension JSONValue {
    /// The JSON text of this value, byte for byte what `JSONCoding.encoder` writes (keys sorted
    /// by their UTF-8 bytes, slashes not escaped, a whole number without `.0`); nil where the
    /// encoder refuses the value (a number that is not finite).
    ///
    /// It replaces the encoder for documents built as `JSONValue`, such as the upload's FHIR
    /// bundles, where `JSONEncoder` took about a fifth of the uploader's CPU: a container and
    /// generic dispatch per value (docs/performance.md, "upload: the bundle written directly").
    package var jsonBytes: [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        return JSONBytes.appendValue(self, to: &out) ? out : nil
    }
}

extension JSONBytes {
    /// Appends `value` as `JSONCoding.encoder` writes it; false (with `out` partly written)
    /// when it holds a number that is not finite.
    package static func appendValue(_ value: JSONValue, to out: inout [UInt8]) -> Bool {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): appendBool(flag, to: &out)
        case .number(let number): return appendNumber(number, to: &out)
        case .string(let text): appendString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard appendValue(element, to: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                guard appendValue(member.value, to: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        }
        return true
    }

    /// Appends a finite number as the encoder writes it: the shortest text that reads back as
    /// the same `Double` (Swift's `description`), less a trailing `.0`. False when not finite.
    package static func appendNumber(_ number: Double, to out: inout [UInt8]) -> Bool {
        guard number.isFinite else { return false }
        // Whole numbers below 10^15 (the usual quantities and counts) as integers, without
        // `description`'s String; -0 keeps its sign there.
        if number == number.rounded(.towardZero), abs(number) < 1e15, !(number == 0 && number.sign == .minus) {
            appendInt(Int(number), to: &out)
            return true
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
        return true
    }
}
