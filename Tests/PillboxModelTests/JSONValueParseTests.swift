import Foundation
import PillboxModel
import PillboxTestSupport
import Testing

/// `JSONValue.parsed(from:)` answers exactly what `JSONDecoder` decodes, or nothing (and the
/// caller asks `JSONDecoder`): never a different value, never a value where `JSONDecoder` says
/// the bytes are not JSON.
@Suite("JSONValue parsed without JSONDecoder")
struct JSONValueParseTests {
    static func fast(_ text: String) -> JSONValue? { fast(Array(text.utf8)) }

    static func fast(_ bytes: [UInt8]) -> JSONValue? {
        bytes.withUnsafeBytes { JSONValue.parsed(from: $0) }
    }

    static func foundation(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// A write's body as the dispensing software sends it, with every kind of value.
    static let dispense = #"""
        {"pharmacyDispenseId": "B-000123", "patient": {"nam": "TREM50020312", "familyName": "Tremblay-Côté",
         "givenName": "Marie-Ève", "birthDate": "1950-02-03"},
         "medication": {"din": "02242903", "display": "Metformin 500 mg tablet", "substanceCode": null},
         "quantity": {"value": 60, "unit": "tablet"}, "daysSupply": 30, "refill": false, "lots": ["L1", "L2"],
         "dosageText": "1 comprimé 2 fois par jour \u00e0 prendre avec un repas \ud83d\udc8a",
         "note": "tab\there \"quoted\" back\\slash \/ slash \b\f\n\r", "whenHandedOver": "2026-11-20T10:00:00-05:00"}
        """#

    @Test("Documents JSONDecoder decodes: the same value, answered without it", arguments: [
        dispense,
        #"{}"#, #"[]"#, #" { } "#, "\t[\n1 ,\r2 ]\n", #""text""#, #""""#, "true", "false", "null",
        "0", "-0", "12", "-12", "1.5", "-0.25", "1e3", "1E-3", "2.5e+10", "123456789012345678901234567890",
        "0.1", "1.7976931348623157e308", "5e-324", "4.9e-324", "0.000001234", "9007199254740993",
        #"{"a": {"b": {"c": [1, [2, [3, {"d": null}]]]}}}"#,
        #"["\u0000", "\u001f", "\u007f", "\uFFFF", "\uD800\uDC00", "\uDBFF\uDFFF", "é", "日本", "🙂"]"#,
        #"{"": "", " ": " "}"#,
    ])
    func sameAsJSONDecoder(_ text: String) throws {
        let bytes = Array(text.utf8)
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        #expect(Self.fast(bytes) == expected)
    }

    @Test("Bytes that are not JSON: no answer, and JSONDecoder refuses them too", arguments: [
        "", " ", "{", "}", "[", "[,1]", "{,}", "[1,,]", #"{"a" 1}"#, #"{"a":}"#, #"{a:1}"#, #"{'a':1}"#,
        "01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "-01", "1.5.2", "NaN", "Infinity", "-Infinity",
        "tru", "truex", "nul", "True", "[1] 2", "{} {}", #""abc"#, #""a\x""#, #""\u12""#, #""\u12G4""#,
        "\"tab\there\"", "\"line\nbreak\"", "[1 2]", #"{"a":1 "b":2}"#, "/* comment */ 1", "[1] // x",
    ])
    func refused(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.fast(bytes) == nil)
        #expect(Self.foundation(bytes) == nil)
    }

    @Test("What it leaves to JSONDecoder: a key twice, a number too large, a lone surrogate, invalid UTF-8, UTF-16, deep nesting, a trailing comma")
    func leftToJSONDecoder() {
        // JSONDecoder accepts a trailing comma; the parser leaves it to JSONDecoder, so such a
        // body is still taken as before.
        for text in ["[1,]", #"{"a":1,}"#] {
            #expect(Self.fast(text) == nil)
            #expect(Self.foundation(Array(text.utf8)) != nil)
        }
        for text in [#"{"a": 1, "a": 2}"#, #"{"e\u0301": 1, "é": 2}"#, #"{"a": {"b": 1, "b": 1}}"#, #"{"é": 1, "e\u0301": 2}"#, "1e400", "-1e400",
                     #""\uD800""#, #""\uDC00""#, #""\uD800\u0041""#, #""\uD800x""#] {
            #expect(Self.fast(text) == nil, "\(text)")
        }
        let invalidUTF8: [[UInt8]] = [
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
            [0xEF, 0xBB, 0xBF] + Array("{}".utf8), Array("{}".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
        ]
        for bytes in invalidUTF8 { #expect(Self.fast(bytes) == nil, "\(bytes)") }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(Self.fast(deep) == nil)
        let shallow = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(Self.fast(shallow) == Self.foundation(Array(shallow.utf8)))
        #expect(Self.fast(shallow) != nil)
    }

    @Test("Randomly damaged bodies: whenever it answers, JSONDecoder decodes the same value")
    func damagedBodies() {
        var random = SplitMix64(seed: 0x5EED)
        let originals = [Array(Self.dispense.utf8), Array(#"{"a":[1,-2.5e3,"x\u00e9\n",true,null,{"b":[]}]}"#.utf8)]
        let alphabet = Array(#"{}[]:,"\ -+.eE0123456789tfnulrsa"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xA9, 0xFF]
        var answered = 0, refusedByBoth = 0
        for round in 0..<4_000 {
            var bytes = originals[round % originals.count]
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            let fast = Self.fast(bytes)
            let expected = Self.foundation(bytes)
            if let fast {
                answered += 1
                #expect(fast == expected, "\(String(decoding: bytes, as: UTF8.self))")
            } else if expected == nil {
                refusedByBoth += 1
            }
        }
        // Both kinds of case were met (damage inside a string keeps a document valid).
        #expect(answered > 200)
        #expect(refusedByBoth > 2_000)
    }
}

