import PillboxModel

/// Reads `SealedCheckContent` out of a version's plaintext JSON without Foundation's
/// `JSONDecoder`, whose per-container work (key tables, generic metadata) costs about 25 µs a
/// fill, where walking the bytes once costs one or two.
///
/// It answers only for what it fully understands: a single valid JSON object, every string
/// it keeps free of escapes, the wanted fields of the wanted types, no key twice. For
/// anything else it answers nil and the caller decodes with `JSONDecoder` as before, so an
/// answer is always what `JSONDecoder` would have decoded (`CheckContentReaderTests`).
struct CheckContentReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The content, or nil when these bytes need `JSONDecoder`.
    static func read(_ plaintext: [UInt8]) -> SealedCheckContent? {
        plaintext.withUnsafeBufferPointer { buffer in
            var reader = CheckContentReader(buffer)
            guard let content = reader.topLevel() else { return nil }
            reader.skipSpace()
            return reader.at == buffer.count ? content : nil
        }
    }

    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    /// An object key, compared by its bytes (the walk gives up on a key with escapes or
    /// invalid UTF-8 before comparing it).
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>
        let range: Range<Int>

        static func == (key: Key, name: StaticString) -> Bool {
            guard key.range.count == name.utf8CodeUnitCount else { return false }
            var offset = 0
            for index in key.range {
                guard key.bytes[index] == name.utf8Start[offset] else { return false }
                offset += 1
            }
            return true
        }
    }

    // MARK: The fields

    private mutating func topLevel() -> SealedCheckContent? {
        var dispense: SealedCheckContent.Content?
        var found = false
        let ok = members { reader, key in
            guard key == "dispense" else { return reader.skipValue(depth: 1) }
            guard !found else { return false }
            found = true
            dispense = reader.dispense()
            return dispense != nil
        }
        guard ok, let dispense else { return nil }
        return SealedCheckContent(dispense: dispense)
    }

    /// The keys of `SealedCheckContent.Content`, in the order of their bits in `seen`.
    private static let dispenseKeys: [StaticString] = [
        "pharmacyDispenseId", "patient", "medication", "quantity", "daysSupply", "prescriptionId", "whenHandedOver",
    ]

    private mutating func dispense() -> SealedCheckContent.Content? {
        var id: String?, nam: String?, medication: SealedCheckContent.Content.Medication?
        var quantity: SealedCheckContent.Content.Quantity?, daysSupply: Int?, prescriptionId: String?, handedOver: String?
        var seen: UInt8 = 0
        let ok = members { reader, key in
            guard let field = Self.dispenseKeys.firstIndex(where: { key == $0 }) else { return reader.skipValue(depth: 2) }
            guard seen & (1 << field) == 0 else { return false }
            seen |= 1 << field
            switch field {
            case 0:
                id = reader.string()
                return id != nil
            case 1:
                var found = false
                return reader.members { reader, key in
                    guard key == "nam" else { return reader.skipValue(depth: 3) }
                    guard !found else { return false }
                    found = true
                    nam = reader.string()
                    return nam != nil
                }
            case 2:
                medication = reader.medication()
                return medication != nil
            case 3:
                if reader.null() { return true }
                quantity = reader.quantity()
                return quantity != nil
            case 4:
                if reader.null() { return true }
                daysSupply = reader.integer()
                return daysSupply != nil
            case 5:
                if reader.null() { return true }
                prescriptionId = reader.string()
                return prescriptionId != nil
            default:
                if reader.null() { return true }
                handedOver = reader.string()
                return handedOver != nil
            }
        }
        guard ok, let id, let nam, let medication else { return nil }
        return SealedCheckContent.Content(pharmacyDispenseId: id, patient: .init(nam: nam), medication: medication,
                                          quantity: quantity, daysSupply: daysSupply, prescriptionId: prescriptionId,
                                          whenHandedOver: handedOver)
    }

    private mutating func medication() -> SealedCheckContent.Content.Medication? {
        var din: String?, display: String?, substance: String?
        var seen: UInt8 = 0
        let ok = members { reader, key in
            let field = key == "din" ? 0 : key == "display" ? 1 : key == "substanceCode" ? 2 : -1
            guard field >= 0 else { return reader.skipValue(depth: 3) }
            guard seen & (1 << field) == 0 else { return false }
            seen |= 1 << field
            if field == 1 {
                display = reader.string()
                return display != nil
            }
            if reader.null() { return true }
            let value = reader.string()
            if field == 0 { din = value } else { substance = value }
            return value != nil
        }
        guard ok, let display else { return nil }
        return .init(din: din, display: display, substanceCode: substance)
    }

    private mutating func quantity() -> SealedCheckContent.Content.Quantity? {
        var value: Double?
        let ok = members { reader, key in
            guard key == "value" else { return reader.skipValue(depth: 3) }
            guard value == nil, let range = reader.numberRange(),
                  let parsed = Double(String(decoding: reader.bytes[range], as: UTF8.self)), parsed.isFinite else { return false }
            value = parsed
            return true
        }
        guard ok, let value else { return nil }
        return .init(value: value)
    }

    // MARK: JSON

    /// Walks an object, calling `member` with each key (the reader then at its value); false
    /// when the bytes are not an object or `member` refuses.
    mutating func members(_ member: (inout CheckContentReader, Key) -> Bool) -> Bool {
        skipSpace()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "{") else { return false }
        at += 1
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
            at += 1
            return true
        }
        while true {
            skipSpace()
            guard let range = stringRange(),
                  bytes[range].allSatisfy({ $0 < 0x80 }) || String(validating: bytes[range], as: UTF8.self) != nil else { return false }
            let key = Key(bytes: bytes, range: range)
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return false }
            at += 1
            skipSpace()
            guard member(&self, key) else { return false }
            skipSpace()
            guard at < bytes.count else { return false }
            if bytes[at] == UInt8(ascii: ",") {
                at += 1
                continue
            }
            guard bytes[at] == UInt8(ascii: "}") else { return false }
            at += 1
            return true
        }
    }

    /// A string without escapes, valid UTF-8; nil otherwise (or when the value is not a string).
    mutating func string() -> String? {
        guard let range = stringRange() else { return nil }
        let slice = bytes[range]
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        return String(validating: slice, as: UTF8.self)
    }

    /// The bytes of a string without escapes or control characters (not yet checked as
    /// UTF-8); nil otherwise (or when the value is not a string).
    mutating func stringRange() -> Range<Int>? {
        skipSpace()
        guard at < bytes.count, bytes[at] == Self.quote else { return nil }
        let start = at + 1
        var end = start
        while end < bytes.count, bytes[end] != Self.quote {
            guard bytes[end] != Self.backslash, bytes[end] >= 0x20 else { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        at = end + 1
        return start..<end
    }

    /// Consumes `null` if it is next.
    mutating func null() -> Bool {
        skipSpace()
        return literal("null")
    }

    /// An integer without fraction or exponent that fits in `Int`.
    mutating func integer() -> Int? {
        guard let range = numberRange(), bytes[range].allSatisfy({ $0 == UInt8(ascii: "-") || (48...57).contains($0) }) else {
            return nil
        }
        return Int(String(decoding: bytes[range], as: UTF8.self))
    }

    /// Consumes a JSON number (the grammar of RFC 8259); its bytes' range, nil when it is not one.
    mutating func numberRange() -> Range<Int>? {
        skipSpace()
        let start = at
        func digits(_ reader: inout CheckContentReader) -> Int {
            let from = reader.at
            while reader.at < reader.bytes.count, (48...57).contains(reader.bytes[reader.at]) { reader.at += 1 }
            return reader.at - from
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        guard at < bytes.count else { return nil }
        if bytes[at] == UInt8(ascii: "0") {
            at += 1
        } else if digits(&self) == 0 {
            return nil
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard digits(&self) > 0 else { return nil }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits(&self) > 0 else { return nil }
        }
        return start..<at
    }

    /// Skips any valid JSON value (strings with valid escapes); false when it is not one.
    mutating func skipValue(depth: Int) -> Bool {
        guard depth < 64 else { return false }
        skipSpace()
        guard at < bytes.count else { return false }
        switch bytes[at] {
        case Self.quote:
            return skipString()
        case UInt8(ascii: "{"):
            return members { reader, _ in reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            at += 1
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return true
            }
            while true {
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                guard at < bytes.count else { return false }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                    continue
                }
                guard bytes[at] == UInt8(ascii: "]") else { return false }
                at += 1
                return true
            }
        case UInt8(ascii: "t"):
            return literal("true")
        case UInt8(ascii: "f"):
            return literal("false")
        case UInt8(ascii: "n"):
            return literal("null")
        default:
            return numberRange() != nil
        }
    }

    /// Skips a string, checking its escapes and its UTF-8.
    mutating func skipString() -> Bool {
        let start = at + 1
        var index = start
        while index < bytes.count, bytes[index] != Self.quote {
            let byte = bytes[index]
            guard byte >= 0x20 else { return false }
            if byte == Self.backslash {
                guard index + 1 < bytes.count else { return false }
                switch bytes[index + 1] {
                case Self.quote, Self.backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                     UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    // Any \u escape (a lone surrogate included) goes to JSONDecoder, which judges it.
                    return false
                default:
                    return false
                }
            } else {
                index += 1
            }
        }
        guard index < bytes.count else { return false }
        let slice = bytes[start..<index]
        guard slice.allSatisfy({ $0 < 0x80 }) || String(validating: slice, as: UTF8.self) != nil else { return false }
        at = index + 1
        return true
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[at + offset] != word.utf8Start[offset] { return false }
        at += count
        return true
    }

    mutating func skipSpace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }
}
