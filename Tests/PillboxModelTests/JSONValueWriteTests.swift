import Foundation
import PillboxModel
import PillboxTestSupport
import Testing

/// `JSONValue.jsonBytes` writes what `JSONCoding.encoder` writes, byte for byte, so a bundle
/// written by it is the bundle the uploader sent before.
@Suite("JSON values written without the encoder")
struct JSONValueWriteTests {
    @Test("A bundle-like document: the exact text, keys sorted by their bytes")
    func exactText() {
        let value: JSONValue = .object([
            "resourceType": .string("Bundle"), "type": .string("batch"),
            "entry": .array([.object([
                "fullUrl": .string("https://pharmacy.example/ids/MedicationDispense/a/1"),
                "request": .object(["method": .string("PUT"), "url": .string("MedicationDispense/a")]),
                "resource": .object(["quantity": .object(["value": .number(60), "unit": .string("tablet")]),
                                     "daysSupply": .number(-0.0), "ratio": .number(0.1), "big": .number(1e16),
                                     "note": .string("tab\there \"q\" back\\slash / é \u{1}"), "flag": .bool(false),
                                     "none": .null, "B": .number(-2), "10": .array([])]),
            ])]),
        ])
        let expected = #"{"entry":[{"fullUrl":"https://pharmacy.example/ids/MedicationDispense/a/1","request":{"method":"PUT","url":"MedicationDispense/a"},"resource":{"10":[],"B":-2,"big":1e+16,"daysSupply":-0,"flag":false,"none":null,"note":"tab\there \"q\" back\\slash / é \u0001","quantity":{"unit":"tablet","value":60},"ratio":0.1}}],"resourceType":"Bundle","type":"batch"}"#
        #expect(value.jsonBytes.map { String(decoding: $0, as: UTF8.self) } == expected)
        #expect(value.jsonBytes == JSONCoding.encoderBytes(value))
    }

    @Test("Numbers: the encoder's text at every magnitude, whole and not, and for 20,000 random bit patterns")
    func numbers() {
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 0.5, 60, 1e15 - 1, 1e15, -1e15, 1e15 + 1, 9007199254740992, 9007199254740994,
                                1e16, 1e20, 1e300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                                .leastNormalMagnitude, 1e-6, 1e-7, 123.456, 2.5e-10]
        for exponent in -30...30 {
            let power = pow(10.0, Double(exponent))
            values += [power, -power, power.nextUp, power.nextDown, power * 1.5]
        }
        var random = SplitMix64(seed: 0x5EED_0009)
        while values.count < 20_000 {
            let value = Double(bitPattern: random.next())
            if value.isFinite { values.append(value) }
            values.append(Double(Int64.random(in: -2_000_000_000_000_000...2_000_000_000_000_000, using: &random)))
        }
        var mismatches: [Double] = []
        for value in values where JSONValue.array([.number(value)]).jsonBytes != JSONCoding.encoderBytes(JSONValue.array([.number(value)])) {
            mismatches.append(value)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("A number that is not finite: no text, as the encoder refuses it", arguments: [Double.nan, .infinity, -.infinity])
    func notFinite(_ number: Double) {
        let value: JSONValue = .object(["a": .array([.string("x"), .number(number)])])
        #expect(value.jsonBytes == nil)
        #expect(JSONCoding.encoderBytes(value) == nil)
    }

    @Test("2,000 random documents, keys and strings of any character: the encoder's bytes")
    func randomDocuments() {
        var random = SplitMix64(seed: 0x5EED_0010)
        var mismatches = 0
        for _ in 0..<2000 {
            let value = Self.randomValue(depth: 0, using: &random)
            if value.jsonBytes != JSONCoding.encoderBytes(value) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// Characters the writer must escape or keep: controls, quote, backslash, slash, DEL, the
    /// line separators JavaScript minds, a combining accent (Swift compares "e\u{301}" and "é"
    /// as equal strings; the encoder sorts their bytes), accents, a character outside the BMP, and digits and
    /// letters of both cases (keys sorted by bytes, not as numbers or case-blind).
    static let alphabet: [Character] = ["\u{0}", "\u{1}", "\u{8}", "\t", "\n", "\u{c}", "\r", "\u{1f}", "\"", "\\", "/", " ",
                                        "\u{7f}", "\u{2028}", "\u{301}", "é", "É", "e", "E", "🙂", "日", "0", "1", "9", "a", "B", "z", "_"]

    static func randomString(using random: inout SplitMix64) -> String {
        String((0..<Int.random(in: 0...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    static func randomValue(depth: Int, using random: inout SplitMix64) -> JSONValue {
        switch Int.random(in: depth < 4 ? 0...6 : 0...3, using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(Bool.random(using: &random) ? Double(Int.random(in: -100_000...100_000, using: &random))
                                                            : Double.random(in: -1e6...1e6, using: &random))
        case 3: return .string(randomString(using: &random))
        case 4: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                members[randomString(using: &random)] = randomValue(depth: depth + 1, using: &random)
            }
            return .object(members)
        }
    }
}
