import Foundation
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

/// The byte scanner the profile answer splices with: exact member ranges, escapes, nesting,
/// whitespace; every malformed or truncated input is an error, never a crash.
@Suite("SealedJSON: members of an object without decoding it")
struct SealedJSONTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Each member as (key, raw value text).
    static func pairs(_ text: String) throws -> [(String, String)] {
        let bytes = Self.bytes(text)
        return try SealedJSON.document(bytes).map {
            (String(decoding: bytes[$0.key], as: UTF8.self), String(decoding: bytes[$0.value], as: UTF8.self))
        }
    }

    @Test("Members of nested objects and arrays come back as the exact bytes written, whitespace around them skipped")
    func nestedMembers() throws {
        let text = #" { "dispense" : {"a":{"b":[1,{"c":"}"}],"d":null},"e":-0.5e+3} ,"reason":"r","n":[ ],"o":{}, "t":true,"f":false } "#
        let found = try Self.pairs(text)
        #expect(found.map(\.0) == ["dispense", "reason", "n", "o", "t", "f"])
        #expect(found.map(\.1) == [#"{"a":{"b":[1,{"c":"}"}],"d":null},"e":-0.5e+3}"#, #""r""#, "[ ]", "{}", "true", "false"])
        let bytes = Self.bytes(text)
        let dispense = try #require(SealedJSON.member("dispense", in: try SealedJSON.document(bytes), of: bytes))
        let inner = try SealedJSON.members(bytes, from: dispense.value.lowerBound, to: dispense.value.upperBound)
        #expect(inner.members.map { String(decoding: bytes[$0.key], as: UTF8.self) } == ["a", "e"])
        #expect(inner.end == dispense.value.upperBound)
    }

    @Test("Expanding a path collects in one pass what a scan per level finds, the first member of each name only")
    func expandedLevels() throws {
        let text = #"{"dispense":{"a":1,"patient":{"nam":"N1","x":[{"nam":"no"}]},"patient":{"nam":"second"}},"reason":null,"dispense":{}}"#
        let bytes = Self.bytes(text)
        let names = { (members: [SealedJSON.Member]?) in members.map { $0.map { String(decoding: bytes[$0.key], as: UTF8.self) } } }
        let levels = try SealedJSON.document(bytes, expanding: ["dispense", "patient"])
        #expect(levels.count == 3)
        #expect(levels[0] == (try SealedJSON.document(bytes)))
        let dispense = try #require(SealedJSON.member("dispense", in: try SealedJSON.document(bytes), of: bytes))
        #expect(levels[1] == (try SealedJSON.members(bytes, from: dispense.value.lowerBound).members))
        #expect(names(levels[1]) == ["a", "patient", "patient"])
        #expect(names(levels[2]) == ["nam", "x"])
        #expect(SealedJSON.string(bytes, try #require(levels[2]?.first).value) == "N1")
        // A first member of the name that is not an object ends the path there, even when a later one is.
        let notObject = Self.bytes(#"{"dispense":[1],"dispense":{"patient":{}}}"#)
        #expect(try SealedJSON.document(notObject, expanding: ["dispense", "patient"]).map { $0?.count } == [2, nil, nil])
        // A missing name leaves its level and those below nil; an empty path is document(_:).
        #expect(try SealedJSON.document(Self.bytes(#"{"dispense":{"b":2}}"#), expanding: ["dispense", "patient"]).map { $0?.count } == [1, 1, nil])
        #expect(try SealedJSON.document(bytes, expanding: []) == [try SealedJSON.document(bytes)])
    }

    @Test("Strings with escaped quotes, backslashes, braces and \\u escapes are skipped whole and read back unescaped")
    func escapedStrings() throws {
        let text = #"{"k\"ey":"va\"l}ue{\\","u":"\u00e9\ud83d\udc8a\n\/","plain":"é 💊"}"#
        let bytes = Self.bytes(text)
        let members = try SealedJSON.document(bytes)
        #expect(members.count == 3)
        #expect(SealedJSON.string(bytes, members[0].value) == "va\"l}ue{\\")
        #expect(SealedJSON.string(bytes, members[1].value) == "é💊\n/")
        #expect(SealedJSON.string(bytes, members[2].value) == "é 💊")
        // A key written with escapes matches no plain name.
        #expect(SealedJSON.member("k\"ey", in: members, of: bytes) == nil)
        #expect(SealedJSON.member("plain", in: members, of: bytes)?.value == members[2].value)
        #expect(SealedJSON.member("missing", in: members, of: bytes) == nil)
        #expect(SealedJSON.string(bytes, try #require(SealedJSON.member("plain", in: members, of: bytes)).key) == nil)
    }

    @Test("Every prefix of a valid document, and malformed ones, fail with an error and never trap")
    func truncatedAndMalformed() throws {
        let valid = #"{"dispense":{"pharmacyDispenseId":"A\"1","patient":{"nam":"TREM50020312"},"q":{"value":2.5}},"reason":"x\\y"}"#
        #expect(throws: Never.self) { try SealedJSON.document(Self.bytes(valid)) }
        let bytes = Self.bytes(valid)
        for length in 0..<bytes.count {
            #expect(throws: SealedJSON.Failure.self, "prefix of \(length) bytes") { try SealedJSON.document(Array(bytes[0..<length])) }
            #expect(throws: SealedJSON.Failure.self, "prefix of \(length) bytes, expanding") {
                try SealedJSON.document(Array(bytes[0..<length]), expanding: ["dispense", "patient"])
            }
        }
        let malformed = [
            "", "   ", "[]", "\"s\"", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\":1 \"b\":2}",
            "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12G4\"}", "{\"a\":\"raw\u{01}control\"}", "{\"a\":[1,2}", "{\"a\":1} trailing", "{a:1}",
            "{\"a\":\"unterminated}", "{\"a\":\"\\",
        ]
        for text in malformed {
            #expect(throws: SealedJSON.Failure.self, "\(text)") { try SealedJSON.document(Self.bytes(text)) }
            #expect(throws: SealedJSON.Failure.self, "\(text), expanding") { try SealedJSON.document(Self.bytes(text), expanding: ["a"]) }
        }
        // Nesting beyond the limit is refused, not recursed into without end.
        let deep = "{\"a\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        #expect(throws: SealedJSON.Failure.self) { try SealedJSON.document(Self.bytes(deep)) }
        #expect(throws: SealedJSON.Failure.self) { try SealedJSON.document(Self.bytes(deep), expanding: ["a"]) }
    }

    @Test("Every byte at every place of strings of 1 to 24 bytes: the string ends, fails or goes on exactly where it should")
    func everyByteEverywhereInAString() {
        var wrong: [String] = []
        for length in 1...24 {
            for place in 0..<length {
                for byte in UInt8.min...UInt8.max {
                    var content = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    content[place] = byte
                    // `{"k":"` is 6 bytes: the content starts at offset 6.
                    let document = Self.bytes(#"{"k":""#) + content + Self.bytes(#""}"#)
                    let expected: String
                    switch byte {
                    case 0..<0x20: expected = "fails at \(6 + place)"
                    // A quote ends the string early: an `a` follows where `,` or `}` must.
                    case UInt8(ascii: "\""): expected = "fails at \(6 + place + 1)"
                    // A backslash before an `a` is no escape; last, it escapes the closing quote,
                    // and the string runs to the end.
                    case UInt8(ascii: "\\"): expected = "fails at \(place == length - 1 ? document.count : 6 + place + 1)"
                    default: expected = "value \(5..<(6 + length + 1))"
                    }
                    let found: String
                    do throws(SealedJSON.Failure) {
                        found = "value \(try SealedJSON.document(document)[0].value)"
                    } catch {
                        found = "fails at \(error.offset)"
                    }
                    if found != expected { wrong.append("length \(length), byte \(byte) at \(place): \(found)") }
                }
            }
        }
        // Two in one string: the first decides, wherever the second is.
        for length in 2...20 {
            for first in 0..<(length - 1) {
                for second in (first + 1)..<length {
                    for later: UInt8 in [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x00] {
                        var content = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                        content[first] = 0x1F
                        content[second] = later
                        let document = Self.bytes(#"{"k":""#) + content + Self.bytes(#""}"#)
                        do throws(SealedJSON.Failure) {
                            _ = try SealedJSON.document(document)
                            wrong.append("length \(length), 0x1F at \(first), \(later) at \(second): no failure")
                        } catch where error.offset != 6 + first {
                            wrong.append("length \(length), 0x1F at \(first), \(later) at \(second): fails at \(error.offset)")
                        } catch {}
                    }
                }
            }
        }
        #expect(wrong == [])
    }

    @Test("An object rebuilt with clear members is the sorted-keys JSON the encoder writes")
    func mergedObjectMatchesEncoder() throws {
        let dispense = Dispense(pharmacyDispenseId: "P-1", patient: .init(nam: "TREM50020312"), medication: .init(display: "X"),
                                quantity: .init(value: 2.5), note: "a \"b\" \\ é")
        let plain = Array(try JSONCoding.encoder.encode(dispense))
        let merged = SealedJSON.object(plain, try SealedJSON.document(plain), with: [
            ("zz", Array("1".utf8)), ("id", Array("\"i\"".utf8)), ("a", Array("true".utf8)),
        ])
        struct Extra: Encodable {
            let dispense: Dispense
            func encode(to encoder: any Encoder) throws {
                try dispense.encode(to: encoder)
                enum Keys: String, CodingKey { case zz, id, a }
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(1, forKey: .zz)
                try container.encode("i", forKey: .id)
                try container.encode(true, forKey: .a)
            }
        }
        #expect(merged == Array(try JSONCoding.encoder.encode(Extra(dispense: dispense))))
        // An empty document, with and without clear members; members alone.
        let empty = Self.bytes("{}")
        #expect(SealedJSON.object(empty, try SealedJSON.document(empty), with: []) == Self.bytes("{}"))
        #expect(SealedJSON.object(empty, try SealedJSON.document(empty), with: [("b", Self.bytes("2")), ("a", Self.bytes("[]"))])
                == Self.bytes(#"{"a":[],"b":2}"#))
        #expect(SealedJSON.object(plain, try SealedJSON.document(plain), with: []) == plain)
    }

    @Test("Two sorted objects merged are the sorted-keys JSON the encoder writes for both in one container")
    func mergingMatchesEncoder() throws {
        struct Left: Encodable { let b = 1, d = "é\"", f = [1, 2] }
        struct Right: Encodable { let a = true, c: [String: Int] = ["y": 1, "x": 2], e: String? = nil, g = "z" }
        struct Both: Encodable {
            func encode(to encoder: any Encoder) throws {
                try Left().encode(to: encoder)
                try Right().encode(to: encoder)
            }
        }
        let left = Array(try JSONCoding.encoder.encode(Left())), right = Array(try JSONCoding.encoder.encode(Right()))
        let expected = Array(try JSONCoding.encoder.encode(Both()))
        #expect(SealedJSON.merging(left, right) == expected)
        #expect(SealedJSON.merging(right, left) == expected)
        #expect(SealedJSON.merging(left, Self.bytes("{}")) == left)
        #expect(SealedJSON.merging(Self.bytes("{}"), Self.bytes("{}")) == Self.bytes("{}"))
        #expect(SealedJSON.merging(left, Self.bytes("[1]")) == nil)
        #expect(SealedJSON.merging(Self.bytes(#"{"a":1"#), right) == nil)
    }

    @Test("JSONBytes escapes strings exactly as the project's encoder does")
    func escapingMatchesEncoder() throws {
        var every = ""
        for scalar in 0..<0x80 { every.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        for text in ["", "plain", "quote \" back \\ slash / é 💊", every, "\u{2028}\u{2029}"] {
            var out: [UInt8] = []
            JSONBytes.appendString(text, to: &out)
            #expect(out == Array(try JSONCoding.encoder.encode(text)), "\(text.debugDescription)")
        }
    }

    @Test("JSONBytes writes integers and static strings exactly as the project's encoder does")
    func integersAndStaticStringsMatchEncoder() throws {
        for value in [0, 1, 9, 10, 42, -1, -10, 1_000_000, Int.max, Int.min] {
            var out: [UInt8] = []
            JSONBytes.appendInt(value, to: &out)
            #expect(out == Array(try JSONCoding.encoder.encode(value)), "\(value)")
        }
        // Every digit count, at each power of ten and beside it, and random values, appended
        // after what the buffer already holds.
        var values: [UInt64] = [0, UInt64.max, UInt64.max - 1]
        var power: UInt64 = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1]
            power *= 10
        }
        var generator = SplitMix64(seed: 20261202)
        values += (0..<10_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator) }
        var mismatches: [UInt64] = []
        for value in values {
            var out: [UInt8] = Array("ab|".utf8)
            JSONBytes.appendDecimal(value, to: &out)
            if out != Array("ab|\(value)".utf8) { mismatches.append(value) }
        }
        #expect(mismatches == [])
        let statics: [StaticString] = ["", "local", "central", "quote \" back \\ tab \t"]
        for text in statics {
            var out: [UInt8] = [UInt8(ascii: "x")]
            JSONBytes.appendString(text, to: &out)
            #expect(out == [UInt8(ascii: "x")] + Array(try JSONCoding.encoder.encode(text.description)), "\(text)")
        }
    }
}
