import Foundation
import PillboxModel

/// The bytes of a cached central profile (sealed at rest by `cacheCentralProfile`).
///
/// Version 2 (written since the profile answer splices bytes) holds ready fragments: the
/// magic `PBCF2\n`, an entry count, then per entry the sort date's bit pattern, the status,
/// the identifier system and value (each may be absent) and the entry's JSON, every string
/// length-prefixed (32-bit little-endian). Version 1, a JSON array of `CentralDispense`
/// (what every earlier daemon wrote), is still read (`fragments(from:)` encodes its entries
/// once; the fetcher then rewrites the cache as version 2).
package enum CentralCacheFormat {
    static let magic = Array("PBCF2\n".utf8)

    /// The version 2 bytes of `fragments`.
    package static func payload(_ fragments: [CentralFragment]) -> Data {
        var out = magic
        appendLength(fragments.count, to: &out)
        for fragment in fragments {
            withUnsafeBytes(of: fragment.sortDate.timeIntervalSince1970.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            appendText(fragment.status, to: &out)
            appendOptional(fragment.identifierSystem, to: &out)
            appendOptional(fragment.identifierValue, to: &out)
            appendLength(fragment.json.count, to: &out)
            out.append(contentsOf: fragment.json)
        }
        return Data(out)
    }

    /// Whether `payload` is in version 2.
    package static func isCurrent(_ payload: Data) -> Bool {
        payload.count >= magic.count && payload.prefix(magic.count).elementsEqual(magic)
    }

    /// The fragments of a cached profile in either version; nil when it reads as neither.
    package static func fragments(from payload: Data) -> [CentralFragment]? {
        guard isCurrent(payload) else {
            guard let dispenses = try? JSONCoding.decoder.decode([CentralDispense].self, from: payload) else { return nil }
            return dispenses.compactMap { try? CentralFragment($0) }
        }
        var reader = Reader(bytes: Array(payload), index: magic.count)
        guard let count = reader.length() else { return nil }
        var result: [CentralFragment] = []
        result.reserveCapacity(min(count, 4096))
        for _ in 0..<count {
            guard let bits = reader.uint64(), let status = reader.text(), let system = reader.optional(),
                  let value = reader.optional(), let json = reader.block() else { return nil }
            result.append(CentralFragment(json: json, sortDate: Date(timeIntervalSince1970: Double(bitPattern: bits)),
                                          status: status, identifierSystem: system, identifierValue: value))
        }
        return reader.index == reader.bytes.count ? result : nil
    }

    /// The dispenses of a cached profile in either version (for the checks); nil when unreadable.
    package static func dispenses(from payload: Data) -> [CentralDispense]? {
        guard isCurrent(payload) else { return try? JSONCoding.decoder.decode([CentralDispense].self, from: payload) }
        guard let fragments = fragments(from: payload) else { return nil }
        // Each entry read in place (`CheckContentReader.readCentral`), or decoded when it needs
        // `JSONDecoder` (the extra `source` member is ignored either way); one entry that does
        // not decode makes the whole profile unreadable, as before.
        var dispenses: [CentralDispense] = []
        dispenses.reserveCapacity(fragments.count)
        for fragment in fragments {
            guard let dispense = CheckContentReader.readCentral(fragment.json)
                ?? (try? JSONCoding.decoder.decode(CentralDispense.self, from: Data(fragment.json))) else { return nil }
            dispenses.append(dispense)
        }
        return dispenses
    }

    static func appendLength(_ count: Int, to out: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian) { out.append(contentsOf: $0) }
    }

    static func appendText(_ text: String, to out: inout [UInt8]) {
        let utf8 = Array(text.utf8)
        appendLength(utf8.count, to: &out)
        out.append(contentsOf: utf8)
    }

    static func appendOptional(_ text: String?, to out: inout [UInt8]) {
        guard let text else {
            out.append(0)
            return
        }
        out.append(1)
        appendText(text, to: &out)
    }

    /// Reads version 2 fields, refusing anything past the end.
    struct Reader {
        let bytes: [UInt8]
        var index: Int

        mutating func uint64() -> UInt64? {
            guard bytes.count - index >= 8 else { return nil }
            var value: UInt64 = 0
            for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
            index += 8
            return value
        }

        mutating func length() -> Int? {
            guard bytes.count - index >= 4 else { return nil }
            var value = 0
            for offset in 0..<4 { value |= Int(bytes[index + offset]) << (8 * offset) }
            index += 4
            return value
        }

        mutating func block() -> [UInt8]? {
            guard let count = length(), bytes.count - index >= count else { return nil }
            defer { index += count }
            return Array(bytes[index..<(index + count)])
        }

        mutating func text() -> String? {
            block().map { String(decoding: $0, as: UTF8.self) }
        }

        /// An optional string: nil on malformed input, `.some(nil)` when absent.
        mutating func optional() -> String?? {
            guard index < bytes.count else { return nil }
            let flag = bytes[index]
            index += 1
            switch flag {
            case 0: return .some(nil)
            case 1: return text().map { .some($0) }
            default: return nil
            }
        }
    }
}
