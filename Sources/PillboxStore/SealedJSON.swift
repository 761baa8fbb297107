import Foundation
import PillboxModel

/// A small validating scanner over JSON bytes the store wrote itself (an opened payload, a
/// cached central entry): it finds the members of an object and the byte ranges of their
/// values without building any value, so that an answer can splice those bytes as they are.
///
/// It checks the whole JSON grammar of what it walks (strings, escapes, numbers, nesting up
/// to `maxDepth`) and fails with `SealedJSON.Failure` on anything else (truncated input,
/// stray bytes): it never reads out of bounds and never traps. Keys are compared as raw
/// bytes; a key written with escapes matches no plain name (the store's keys have none).
package enum SealedJSON {
    /// Nesting deeper than this is refused (the store's documents nest 3 levels).
    package static let maxDepth = 32

    /// Where and why a scan stopped.
    package struct Failure: Error, Sendable, Equatable {
        /// Byte offset of the problem.
        package var offset: Int
    }

    /// One member of an object: the key's bytes (between its quotes) and the value's bytes.
    package struct Member: Sendable, Equatable {
        /// The key's raw bytes, without the quotes.
        package var key: Range<Int>
        /// The value's bytes, as written (a string value includes its quotes).
        package var value: Range<Int>
    }

    /// The members of the object that starts at `start` (leading whitespace allowed) and
    /// ends at or before `end`, in the order written, and the index just past its `}`.
    package static func members(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) throws(Failure) -> (members: [Member], end: Int) {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            let scanner = Scanner(bytes: buffer, end: min(end ?? buffer.count, buffer.count))
            var levels: [[Member]?] = [nil]
            let end = try scanner.object(at: scanner.skipSpace(start), depth: 0, expanding: [], into: &levels, level: 0)
            return (levels[0] ?? [], end)
        }
    }

    /// The members of a whole document that is one object (only whitespace after it).
    package static func document(_ bytes: [UInt8]) throws(Failure) -> [Member] {
        try document(bytes, expanding: [])[0] ?? []
    }

    /// `document(_:)` that, in the same pass, also collects the members of the object under
    /// `path[0]` in the document, of the object under `path[1]` in that one, and so on: the
    /// answer holds `path.count + 1` levels, the document's first. As `member(_:in:of:)`
    /// does, the first member of each name is the one taken; a level is nil when that member
    /// is missing or is not an object (nor is anything deeper collected).
    package static func document(_ bytes: [UInt8], expanding path: [StaticString]) throws(Failure) -> [[Member]?] {
        var levels = [[Member]?](repeating: nil, count: path.count + 1)
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            let scanner = Scanner(bytes: buffer, end: buffer.count)
            let end = try scanner.object(at: scanner.skipSpace(0), depth: 0, expanding: path[...], into: &levels, level: 0)
            let rest = scanner.skipSpace(end)
            guard rest == buffer.count else { throw Failure(offset: rest) }
        }
        return levels
    }

    /// The member named `name` (ASCII, no escapes), if any.
    package static func member(_ name: StaticString, in members: [Member], of bytes: [UInt8]) -> Member? {
        members.first { keyEquals(bytes, $0.key, name) }
    }

    /// Whether the raw key bytes `key` equal `name`.
    package static func keyEquals(_ bytes: [UInt8], _ key: Range<Int>, _ name: StaticString) -> Bool {
        bytes.withUnsafeBufferPointer { Scanner(bytes: $0, end: $0.count).keyEquals(key, name) }
    }

    /// The value of a string member: its text, unescaped. Nil when `value` is not a string.
    package static func string(_ bytes: [UInt8], _ value: Range<Int>) -> String? {
        guard value.count >= 2, bytes[value.lowerBound] == UInt8(ascii: "\""), bytes[value.upperBound - 1] == UInt8(ascii: "\"") else {
            return nil
        }
        let inner = bytes[(value.lowerBound + 1)..<(value.upperBound - 1)]
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        // Rare (the store's ids have no escapes): let Foundation unescape it.
        let wrapped = [UInt8(ascii: "[")] + bytes[value] + [UInt8(ascii: "]")]
        return (try? JSONCoding.decoder.decode([String].self, from: Data(wrapped)))?.first
    }

    /// Whether `value` is the literal `null`.
    package static func isNull(_ bytes: [UInt8], _ value: Range<Int>) -> Bool {
        value.count == 4 && bytes[value.lowerBound] == UInt8(ascii: "n")
    }

    /// Whether `value` is an object.
    package static func isObject(_ bytes: [UInt8], _ value: Range<Int>) -> Bool {
        !value.isEmpty && bytes[value.lowerBound] == UInt8(ascii: "{")
    }
}

/// The walk itself, over a buffer that outlives it.
private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int

    typealias Failure = SealedJSON.Failure

    func skipSpace(_ start: Int) -> Int {
        var index = start
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    func expect(_ byte: UInt8, at index: Int) throws(Failure) {
        guard index < end, bytes[index] == byte else { throw Failure(offset: index) }
    }

    /// An object at `index` (its `{`), skipped: the index past its `}`.
    func object(at index: Int, depth: Int) throws(Failure) -> Int {
        guard depth < SealedJSON.maxDepth else { throw Failure(offset: index) }
        try expect(UInt8(ascii: "{"), at: index)
        var cursor = skipSpace(index + 1)
        if cursor < end, bytes[cursor] == UInt8(ascii: "}") { return cursor + 1 }
        while true {
            cursor = skipSpace(try string(at: cursor))
            try expect(UInt8(ascii: ":"), at: cursor)
            cursor = skipSpace(try value(at: skipSpace(cursor + 1), depth: depth + 1))
            guard cursor < end else { throw Failure(offset: cursor) }
            if bytes[cursor] == UInt8(ascii: ",") {
                cursor = skipSpace(cursor + 1)
                continue
            }
            try expect(UInt8(ascii: "}"), at: cursor)
            return cursor + 1
        }
    }

    /// An object at `index` whose members go to `levels[level]`; the value of its first member
    /// named `path.first`, when an object, is walked the same way one level down. The index
    /// past its `}`.
    func object(at index: Int, depth: Int, expanding path: ArraySlice<StaticString>,
                into levels: inout [[SealedJSON.Member]?], level: Int) throws(Failure) -> Int {
        guard depth < SealedJSON.maxDepth else { throw Failure(offset: index) }
        try expect(UInt8(ascii: "{"), at: index)
        var found: [SealedJSON.Member] = []
        found.reserveCapacity(16)
        var expanded = path.isEmpty
        var cursor = skipSpace(index + 1)
        if cursor < end, bytes[cursor] == UInt8(ascii: "}") {
            levels[level] = found
            return cursor + 1
        }
        while true {
            let keyStart = cursor
            let keyEnd = try string(at: cursor)
            cursor = skipSpace(keyEnd)
            try expect(UInt8(ascii: ":"), at: cursor)
            let valueStart = skipSpace(cursor + 1)
            let key = (keyStart + 1)..<(keyEnd - 1)
            let valueEnd: Int
            if !expanded, let name = path.first, keyEquals(key, name) {
                expanded = true
                valueEnd = valueStart < end && bytes[valueStart] == UInt8(ascii: "{")
                    ? try object(at: valueStart, depth: depth + 1, expanding: path.dropFirst(), into: &levels, level: level + 1)
                    : try value(at: valueStart, depth: depth + 1)
            } else {
                valueEnd = try value(at: valueStart, depth: depth + 1)
            }
            found.append(.init(key: key, value: valueStart..<valueEnd))
            cursor = skipSpace(valueEnd)
            guard cursor < end else { throw Failure(offset: cursor) }
            if bytes[cursor] == UInt8(ascii: ",") {
                cursor = skipSpace(cursor + 1)
                continue
            }
            try expect(UInt8(ascii: "}"), at: cursor)
            levels[level] = found
            return cursor + 1
        }
    }

    /// Whether the key bytes at `key` equal `name`.
    func keyEquals(_ key: Range<Int>, _ name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount else { return false }
        let pointer = name.utf8Start
        for offset in 0..<key.count where bytes[key.lowerBound + offset] != pointer[offset] { return false }
        return true
    }

    /// An array at `index` (its `[`): the index past its `]`.
    func array(at index: Int, depth: Int) throws(Failure) -> Int {
        guard depth < SealedJSON.maxDepth else { throw Failure(offset: index) }
        try expect(UInt8(ascii: "["), at: index)
        var cursor = skipSpace(index + 1)
        if cursor < end, bytes[cursor] == UInt8(ascii: "]") { return cursor + 1 }
        while true {
            cursor = skipSpace(try value(at: cursor, depth: depth + 1))
            guard cursor < end else { throw Failure(offset: cursor) }
            if bytes[cursor] == UInt8(ascii: ",") {
                cursor = skipSpace(cursor + 1)
                continue
            }
            try expect(UInt8(ascii: "]"), at: cursor)
            return cursor + 1
        }
    }

    /// Any value at `index`: the index past it.
    func value(at index: Int, depth: Int) throws(Failure) -> Int {
        guard index < end else { throw Failure(offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(at: index, depth: depth)
        case UInt8(ascii: "["): return try array(at: index, depth: depth)
        case UInt8(ascii: "\""): return try string(at: index)
        case UInt8(ascii: "t"): return try literal("true", at: index)
        case UInt8(ascii: "f"): return try literal("false", at: index)
        case UInt8(ascii: "n"): return try literal("null", at: index)
        default: return try number(at: index)
        }
    }

    func literal(_ word: StaticString, at index: Int) throws(Failure) -> Int {
        let count = word.utf8CodeUnitCount
        guard end - index >= count else { throw Failure(offset: index) }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Failure(offset: index + offset) }
        return index + count
    }

    /// A string at `index` (its opening quote): the index past its closing quote.
    func string(at index: Int) throws(Failure) -> Int {
        try expect(UInt8(ascii: "\""), at: index)
        var cursor = index + 1
        while cursor < end {
            // Eight bytes at a time up to the first that is a quote, a backslash or a control
            // character; that one is read below.
            while end - cursor >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + cursor).loadUnaligned(as: UInt64.self))
                let special = Self.special(word)
                if special != 0 {
                    cursor += special.trailingZeroBitCount / 8
                    break
                }
                cursor += 8
            }
            guard cursor < end else { break }
            let byte = bytes[cursor]
            switch byte {
            case UInt8(ascii: "\""): return cursor + 1
            case UInt8(ascii: "\\"):
                guard cursor + 1 < end else { throw Failure(offset: cursor) }
                switch bytes[cursor + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    cursor += 2
                case UInt8(ascii: "u"):
                    guard end - cursor >= 6 else { throw Failure(offset: cursor) }
                    for offset in 2..<6 where !Self.isHex(bytes[cursor + offset]) { throw Failure(offset: cursor + offset) }
                    cursor += 6
                default: throw Failure(offset: cursor + 1)
                }
            case 0..<0x20: throw Failure(offset: cursor)
            default: cursor += 1
            }
        }
        throw Failure(offset: cursor)
    }

    /// The high bit of each byte of `word` (read little-endian: the first byte lowest) that is `"`,
    /// `\\` or below 0x20; zero when none is. The lowest bit set is always the first such byte
    /// (the flags above it may be wrong, and are not used): a subtraction borrows only from a
    /// byte that is zero (or below 0x20) to the bytes after it.
    static func special(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22), backslashes = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word
        return (control | ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)) & highs
    }

    /// A number at `index`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    func number(at index: Int) throws(Failure) -> Int {
        var cursor = index
        if cursor < end, bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
        guard cursor < end, Self.isDigit(bytes[cursor]) else { throw Failure(offset: cursor) }
        if bytes[cursor] == UInt8(ascii: "0") { cursor += 1 } else { cursor = digits(from: cursor) }
        if cursor < end, bytes[cursor] == UInt8(ascii: ".") {
            guard cursor + 1 < end, Self.isDigit(bytes[cursor + 1]) else { throw Failure(offset: cursor + 1) }
            cursor = digits(from: cursor + 1)
        }
        if cursor < end, bytes[cursor] == UInt8(ascii: "e") || bytes[cursor] == UInt8(ascii: "E") {
            cursor += 1
            if cursor < end, bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
            guard cursor < end, Self.isDigit(bytes[cursor]) else { throw Failure(offset: cursor) }
            cursor = digits(from: cursor)
        }
        return cursor
    }

    func digits(from start: Int) -> Int {
        var cursor = start
        while cursor < end, Self.isDigit(bytes[cursor]) { cursor += 1 }
        return cursor
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }
}
