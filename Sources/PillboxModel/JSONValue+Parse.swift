extension JSONValue {
    /// Why a request body was refused.
    package enum ParseError: Error, Equatable, Sendable {
        /// Not a JSON text in UTF-8 (RFC 8259).
        case malformed
        /// An object names the same member twice (RFC 8259 leaves the meaning open; for a
        /// record it is ambiguous: which `daysSupply` was meant?).
        case duplicateMember
    }

    /// Parses a request body: strict RFC 8259 JSON in UTF-8 (a leading byte-order mark is
    /// skipped), strings valid UTF-8 once their escapes are decoded (a lone surrogate is not),
    /// finite numbers read by the standard library's `Double` parser, no member twice in one
    /// object (names compared as Swift compares strings), at most `maximumDepth` levels.
    ///
    /// It replaces Foundation's `JSONDecoder` for request bodies, whose `JSONValue` decoding
    /// tried each JSON type in turn and built a `DecodingError` for every miss (5% of a write's
    /// CPU; docs/performance.md, "intake: time-ordered record ids"), and which also took a
    /// trailing comma and a member named twice (keeping the first). Every value it answers is
    /// the value `JSONDecoder` decodes (`JSONValueParseTests`).
    package static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<JSONValue, ParseError> {
        var parser = Parser(bytes: bytes.assumingMemoryBound(to: UInt8.self))
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.at = 3 }
        guard let value = parser.value(depth: 0) else { return .failure(parser.duplicate ? .duplicateMember : .malformed) }
        parser.skipSpace()
        return parser.at == parser.bytes.count ? .success(value) : .failure(.malformed)
    }

    /// Nesting deeper than this is refused (as `JSONDecoder` refuses it).
    package static let maximumDepth = 512

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0
        /// Set when the walk stopped at a member named twice.
        var duplicate = false

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 {
                at += 1
            }
        }

        mutating func value(depth: Int) -> JSONValue? {
            skipSpace()
            guard at < bytes.count, depth < JSONValue.maximumDepth else { return nil }
            switch bytes[at] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string().map(JSONValue.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number()
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - at >= count else { return false }
            for offset in 0..<count where bytes[at + offset] != word.utf8Start[offset] { return false }
            at += count
            return true
        }

        mutating func object(depth: Int) -> JSONValue? {
            at += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                at += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
                at += 1
                guard let member = value(depth: depth + 1) else { return nil }
                guard members.updateValue(member, forKey: key) == nil else {
                    duplicate = true
                    return nil
                }
                skipSpace()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                } else if bytes[at] == UInt8(ascii: "}") {
                    at += 1
                    return .object(members)
                } else {
                    return nil
                }
            }
        }

        mutating func array(depth: Int) -> JSONValue? {
            at += 1
            var elements: [JSONValue] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return .array(elements)
            }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                skipSpace()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                } else if bytes[at] == UInt8(ascii: "]") {
                    at += 1
                    return .array(elements)
                } else {
                    return nil
                }
            }
        }

        /// A string at `at` (its opening quote). Without escapes its bytes are taken as they are,
        /// once checked to be UTF-8; with escapes they are decoded into a scratch buffer.
        mutating func string() -> String? {
            at += 1
            let start = at
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                    at += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
                guard byte >= 0x20 else { return nil }
                at += 1
            }
            return nil
        }

        mutating func escapedString(from start: Int) -> String? {
            var text = Array(bytes[start..<at])
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    at += 1
                    return String(validating: text, as: UTF8.self)
                }
                guard byte >= 0x20 else { return nil }
                guard byte == UInt8(ascii: "\\") else {
                    text.append(byte)
                    at += 1
                    continue
                }
                guard at + 1 < bytes.count else { return nil }
                at += 2
                switch bytes[at - 1] {
                case UInt8(ascii: "\""): text.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): text.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): text.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    UTF8.encode(scalar) { text.append($0) }
                default: return nil
                }
            }
            return nil
        }

        /// The scalar of a `\u` escape and its four hex digits (the `\u` already read), a surrogate pair taken whole; nil for
        /// a lone surrogate (not a character: the string would not be UTF-8).
        mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let unit = hex4() else { return nil }
            if unit < 0xD800 || unit > 0xDFFF { return Unicode.Scalar(unit) }
            guard unit < 0xDC00, bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                return nil
            }
            at += 2
            guard let low = hex4(), low >= 0xDC00, low <= 0xDFFF else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        }

        mutating func hex4() -> UInt32? {
            guard bytes.count - at >= 4 else { return nil }
            var unit: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[at]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                unit = unit << 4 | UInt32(digit)
                at += 1
            }
            return unit
        }

        /// A number as RFC 8259 writes it (`-`, no leading zero, optional fraction and
        /// exponent), read by the standard library's `Double` parser; nil when not finite.
        mutating func number() -> JSONValue? {
            let start = at
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard at < bytes.count else { return nil }
            if bytes[at] == UInt8(ascii: "0") {
                at += 1
            } else {
                guard digits() > 0 else { return nil }
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { return nil }
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { return nil }
            }
            guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)),
                  value.isFinite else { return nil }
            return .number(value)
        }

        mutating func digits() -> Int {
            let start = at
            while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") { at += 1 }
            return at - start
        }
    }
}
