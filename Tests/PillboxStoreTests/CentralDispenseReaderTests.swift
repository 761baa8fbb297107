import Foundation
import PillboxModel
@testable import PillboxStore
import Testing

/// The checks' reader of cached central entries answers exactly what `JSONDecoder` decodes, or
/// leaves the entry to `JSONDecoder`; a cached profile reads as it did when every entry was decoded.
@Suite("The checks' reader of cached central dispenses")
struct CentralDispenseReaderTests {
    static let full = CentralDispense(
        resourceID: "md-1", identifierSystem: "https://pharmacy.example/ids/0099", identifierValue: "RX-77", status: "completed",
        medication: .init(din: "02242903", code: "C-1", codeSystem: "https://codes.example", display: "Metformin 500 mg",
                          strength: "500 mg", form: "tablet", substanceCode: "A10BA02"),
        quantity: .init(value: 60, unit: "tablet"), daysSupply: 30, dosageText: "1 co. 2 f.p.j.",
        whenHandedOver: "2026-11-02T10:00:00-05:00", performerLicense: "L-1", lastUpdated: "2026-11-02T15:00:00Z",
        prescriptionId: "RX-A", pharmacy: "Pharmacie du Quartier")
    static let bare = CentralDispense(resourceID: "md-2", status: "cancelled", medication: .init(display: "Préparation magistrale"))
    static let odd = CentralDispense(
        resourceID: "md-3 ü/x", status: "completed", medication: .init(din: "00559407", display: "Éthinylestradiol 0,03 mg 💊"),
        quantity: .init(value: 0.1, unit: "mL"), daysSupply: 0, pharmacy: "Pharmacie « Côté » \"Nord\"\nBureau 2")

    static func decoded(_ json: [UInt8]) -> CentralDispense? {
        try? JSONCoding.decoder.decode(CentralDispense.self, from: Data(json))
    }

    @Test("Entries as the cache keeps them read as JSONDecoder decodes them; one with escapes goes to JSONDecoder")
    func cachedEntries() throws {
        let dispenses = [Self.full, Self.bare, Self.odd]
        let fragments = try dispenses.map(CentralFragment.init)
        for (dispense, fragment) in zip(dispenses, fragments) {
            #expect(Self.decoded(fragment.json) == dispense)
            let read = CheckContentReader.readCentral(fragment.json)
            if dispense == Self.odd {
                #expect(read == nil, "its pharmacy holds quotes and a line break: escapes")
            } else {
                #expect(read == dispense)
            }
        }
        #expect(CentralCacheFormat.dispenses(from: CentralCacheFormat.payload(fragments)) == dispenses)
        #expect(CentralCacheFormat.dispenses(from: CentralCacheFormat.payload([])) == [])
    }

    @Test("Each odd entry reads as JSONDecoder decodes it, or is left to it where the reader does not take it", arguments: [
        // Nulls where the value is optional: absent, as decodeIfPresent makes them.
        (#"{"resourceID":"a","status":"completed","medication":{"display":"X","din":null},"quantity":null,"daysSupply":null,"pharmacy":null}"#, true),
        // Unknown members, nested and not: skipped.
        (#"{"zz":{"a":[1,{"b":null}],"c":true},"resourceID":"a","status":"s","medication":{"display":"X","extra":[1.5e3]},"source":"central"}"#, true),
        // Whitespace everywhere.
        (" { \"resourceID\" : \"a\" , \"status\" : \"s\" , \"medication\" : { \"display\" : \"X\" } , \"quantity\" : { \"value\" : 2 } } ", true),
        // Numbers: an exponent for the quantity and a negative days' supply read; a days' supply
        // with a fraction or an exponent goes to JSONDecoder.
        (#"{"resourceID":"a","status":"s","medication":{"display":"X"},"quantity":{"value":1.25E2,"unit":"mL"},"daysSupply":-3}"#, true),
        (#"{"resourceID":"a","status":"s","medication":{"display":"X"},"daysSupply":30.0}"#, false),
        (#"{"resourceID":"a","status":"s","medication":{"display":"X"},"daysSupply":3e1}"#, false),
        // A key twice: left to JSONDecoder.
        (#"{"resourceID":"a","status":"s","status":"t","medication":{"display":"X"}}"#, false),
        (#"{"resourceID":"a","status":"s","medication":{"display":"X","din":"1","din":"2"}}"#, false),
        // Missing or null where a value is required, wrong types: JSONDecoder refuses them too.
        (#"{"status":"s","medication":{"display":"X"}}"#, false),
        (#"{"resourceID":"a","status":null,"medication":{"display":"X"}}"#, false),
        (#"{"resourceID":"a","status":"s","medication":{"din":"1"}}"#, false),
        (#"{"resourceID":"a","status":"s","medication":{"display":"X"},"quantity":{"unit":"mL"}}"#, false),
        (#"{"resourceID":1,"status":"s","medication":{"display":"X"}}"#, false),
        (#"{"resourceID":"a","status":"s","medication":"X"}"#, false),
        (#"{"resourceID":"a","status":"s","medication":{"display":"X"},"daysSupply":"30"}"#, false),
        // Escapes, and bytes that are not JSON.
        (#"{"resourceID":"a\u0062","status":"s","medication":{"display":"X"}}"#, false),
        (#"{"resourceID":"a","status":"s","medication":{"display":"X"}} trailing"#, false),
        (#"{"resourceID":"a","status":"s","medication":{"display":"X"}"#, false),
        (#"["#, false),
    ])
    func oddEntries(_ text: String, readerAnswers: Bool) {
        let json = Array(text.utf8)
        let decoded = Self.decoded(json)
        let read = CheckContentReader.readCentral(json)
        if readerAnswers {
            #expect(read != nil)
            #expect(read == decoded)
        } else {
            #expect(read == nil)
        }
        // The cache's reading: the reader's answer, else JSONDecoder's, else the whole profile is unreadable.
        let fragment = CentralFragment(json: json, sortDate: Date(timeIntervalSince1970: 0), status: "s",
                                       identifierSystem: nil, identifierValue: nil)
        #expect(CentralCacheFormat.dispenses(from: CentralCacheFormat.payload([fragment])) == decoded.map { [$0] })
    }

    @Test("The reader answers for the entries a central record usually sends, not only the odd ones")
    func readsUsualEntries() {
        let usual = #"{"resourceID":"a","status":"completed","medication":{"din":"02242903","display":"X"},"quantity":{"value":30},"daysSupply":30,"whenHandedOver":"2026-11-02T10:00:00Z"}"#
        #expect(CheckContentReader.readCentral(Array(usual.utf8)) == CentralDispense(
            resourceID: "a", status: "completed", medication: .init(din: "02242903", display: "X"), quantity: .init(value: 30),
            daysSupply: 30, whenHandedOver: "2026-11-02T10:00:00Z"))
    }
}
