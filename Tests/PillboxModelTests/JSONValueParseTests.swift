import Foundation
import PillboxModel
import PillboxTestSupport
import Testing

/// `JSONValue.parse` reads request bodies: every value it answers is what `JSONDecoder`
/// decodes; it refuses what is not RFC 8259 JSON in UTF-8, and an object that names a member
/// twice, where `JSONDecoder` kept the first.
@Suite("Request bodies parsed as strict JSON")
struct JSONValueParseTests {
    static func parse(_ text: String) -> Result<JSONValue, JSONValue.ParseError> { parse(Array(text.utf8)) }

    static func parse(_ bytes: [UInt8]) -> Result<JSONValue, JSONValue.ParseError> {
        bytes.withUnsafeBytes { JSONValue.parse($0) }
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

    @Test("JSON texts: the value JSONDecoder decodes", arguments: [
        dispense,
        #"{}"#, #"[]"#, #" { } "#, "\t[\n1 ,\r2 ]\n", #""text""#, #""""#, "true", "false", "null",
        "0", "-0", "12", "-12", "1.5", "-0.25", "1e3", "1E-3", "2.5e+10", "123456789012345678901234567890",
        "0.1", "1.7976931348623157e308", "5e-324", "4.9e-324", "0.000001234", "9007199254740993",
        #"{"a": {"b": {"c": [1, [2, [3, {"d": null}]]]}}}"#,
        #"["\u0000", "\u001f", "\u007f", "\uFFFF", "\uD800\uDC00", "\uDBFF\uDFFF", "é", "日本", "🙂"]"#,
        #"{"": "", " ": " "}"#,
        "\u{FEFF}{\"bom\": true}",
    ])
    func sameAsJSONDecoder(_ text: String) throws {
        let bytes = Array(text.utf8)
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        #expect(Self.parse(bytes) == .success(expected))
    }

    @Test("Not JSON: refused as malformed, as JSONDecoder refuses it", arguments: [
        "", " ", "{", "}", "[", "[,1]", "{,}", "[1,,]", #"{"a" 1}"#, #"{"a":}"#, #"{a:1}"#, #"{'a':1}"#,
        "01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "-01", "1.5.2", "NaN", "Infinity", "-Infinity",
        "tru", "truex", "nul", "True", "[1] 2", "{} {}", #""abc"#, #""a\x""#, #""\u12""#, #""\u12G4""#,
        "\"tab\there\"", "\"line\nbreak\"", "[1 2]", #"{"a":1 "b":2}"#, "/* comment */ 1", "[1] // x",
        "1e400", "-1e400",
    ])
    func malformed(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.parse(bytes) == .failure(.malformed))
        #expect(Self.foundation(bytes) == nil)
    }

    @Test("Refused as malformed, where JSONDecoder took them: a trailing comma, UTF-16")
    func stricterThanJSONDecoder() {
        let utf16 = Array("{}".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        for bytes in [Array("[1,]".utf8), Array(#"{"a":1,}"#.utf8), utf16, [0xFF, 0xFE] + utf16] {
            #expect(Self.parse(bytes) == .failure(.malformed), "\(bytes)")
            #expect(Self.foundation(bytes) != nil, "\(bytes)")
        }
    }

    @Test("A lone surrogate escape and bytes that are not UTF-8 are refused as malformed, as JSONDecoder refuses them")
    func notUTF8() {
        let bodies: [[UInt8]] = [#""\uD800""#, #""\uDC00""#, #""\uD800\u0041""#, #""\uD800x""#].map { Array($0.utf8) } + [
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
        ]
        for bytes in bodies {
            #expect(Self.parse(bytes) == .failure(.malformed), "\(bytes)")
            #expect(Self.foundation(bytes) == nil, "\(bytes)")
        }
    }

    @Test("A member named twice in one object is refused, at any depth, with names compared as Swift compares strings")
    func duplicateMembers() {
        for text in [#"{"a": 1, "a": 2}"#, #"{"a": 1, "a": 1}"#, #"{"x": [{"b": 1, "c": 2, "b": 3}]}"#,
                     #"{"é": 1, "e\u0301": 2}"#, #"{"daysSupply": 30, "note": "n", "daysSupply": 90}"#] {
            #expect(Self.parse(text) == .failure(.duplicateMember), "\(text)")
        }
        // The same name in two different objects is not a duplicate.
        #expect(Self.parse(#"[{"a": 1}, {"a": 2}]"#) == .success(.array([.object(["a": .number(1)]), .object(["a": .number(2)])])))
    }

    @Test("512 levels of nesting are read; 513 are refused, as JSONDecoder refuses them")
    func depth() {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        let expected = Self.foundation(Array(deepest.utf8))
        #expect(expected != nil)
        #expect(Self.parse(deepest) == expected.map { .success($0) })
        let deeper = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(Self.parse(deeper) == .failure(.malformed))
        #expect(Self.foundation(Array(deeper.utf8)) == nil)
    }

    @Test("Randomly damaged bodies: whatever is read is what JSONDecoder decodes; what JSONDecoder refuses is refused")
    func damagedBodies() {
        var random = SplitMix64(seed: 0x5EED)
        let originals = [Array(Self.dispense.utf8), Array(#"{"a":[1,-2.5e3,"x\u00e9\n",true,null,{"b":[]}]}"#.utf8)]
        let alphabet = Array(#"{}[]:,"\ -+.eE0123456789tfnulrsa"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xA9, 0xFF]
        var read = 0, refusedByBoth = 0
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
            let expected = Self.foundation(bytes)
            switch Self.parse(bytes) {
            case .success(let value):
                read += 1
                #expect(value == expected, "\(String(decoding: bytes, as: UTF8.self))")
            case .failure:
                if expected == nil { refusedByBoth += 1 }
            }
        }
        // Both kinds of case were met (damage inside a string keeps a document valid).
        #expect(read > 200)
        #expect(refusedByBoth > 2_000)
    }
}
