import Foundation
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// The checks' reader of sealed content answers exactly what `JSONDecoder` decodes, or
/// leaves the bytes to `JSONDecoder`.
@Suite("The checks' reader of sealed content")
struct CheckContentReaderTests {
    static func decoded(_ text: String) -> SealedCheckContent? {
        try? JSONDecoder().decode(SealedCheckContent.self, from: Data(text.utf8))
    }

    static func read(_ text: String) -> SealedCheckContent? { CheckContentReader.read(Array(text.utf8)) }

    @Test("Content as the store seals it reads as JSONDecoder decodes it, for full and bare dispenses")
    func sealedContentReadsAsDecoded() throws {
        let parser = DispenseParser()
        var bare = Samples.dispense(id: "BARE", lot: nil)
        for key in ["whenHandedOver", "quantity", "daysSupply", "prescriptionId"] { bare[key] = nil }
        bare["medication"] = ["code": "99001", "codeSystem": "https://pharmacy.example/codes", "display": "Préparation magistrale",
                              "substanceCode": "A10BA02"]
        var odd = Samples.dispense(id: "ODD/1 ü", note: "a \"quoted\" note\nwith a line break and a \\ backslash",
                                   familyName: "O'Brien-Côté")
        odd["quantity"] = ["value": 0.1, "unit": "mL"]
        for body in [Samples.dispense(id: "FULL"), bare, odd] {
            let dispense = try parser.dispense(from: JSONDecoder().decode(JSONValue.self, from: Samples.json(body)),
                                               now: Date()).get()
            for reason in [nil, "a \"reason\""] {
                let bytes = try JSONCoding.encoder.encode(SealedContent(dispense: dispense, reason: reason))
                let read = try #require(CheckContentReader.read(Array(bytes)))
                #expect(read == (try JSONDecoder().decode(SealedCheckContent.self, from: bytes)))
                #expect(read.dispense.pharmacyDispenseId == dispense.pharmacyDispenseId)
                #expect(read.dispense.medication.din == dispense.medication.din)
                #expect(read.dispense.quantity?.value == dispense.quantity?.value)
                #expect(read.dispense.whenHandedOver == dispense.whenHandedOver)
            }
        }
    }

    @Test("Numbers, nulls, spacing and key order read as JSONDecoder decodes them")
    func numbersAndNulls() throws {
        let medication = #""medication":{"display":"X","din":null,"substanceCode":"A10BA02"}"#
        for quantity in ["30", "2.5", "0.1", "123456.789", "1e-3", "1E5", "-0", "7.0"] {
            let text = #"{"reason":null,"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","#
                + medication + #","quantity":{"unit":"u","value":"# + quantity + #"},"daysSupply":30}}"#
            let read = try #require(Self.read(text), "\(quantity)")
            #expect(read == Self.decoded(text), "\(quantity)")
        }
        let spaced = " {\n \"dispense\" : { \"pharmacyDispenseId\" : \"P\" , \"patient\" : { \"nam\" : \"N\" } , "
            + "\"medication\" : { \"display\" : \"X\" } , \"quantity\" : null , \"daysSupply\" : null , "
            + "\"prescriptionId\" : null , \"whenHandedOver\" : null , \"extra\" : [ 1 , { \"a\" : [ ] } , true , false , null ] } } \n"
        let read = try #require(Self.read(spaced))
        #expect(read == Self.decoded(spaced))
        #expect(read.dispense.quantity == nil && read.dispense.daysSupply == nil && read.dispense.whenHandedOver == nil)
    }

    @Test("Anything it does not fully understand is left to JSONDecoder")
    func leavesTheRestToJSONDecoder() {
        let base = #"{"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","medication":{"display":"X"}}}"#
        #expect(Self.read(base) != nil)
        let refused = [
            #"{"dispense":{"patient":{"nam":"N\u00e9"},"pharmacyDispenseId":"P","medication":{"display":"X"}}}"#,  // escape in a kept string
            #"{"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","pharmacyDispenseId":"Q","medication":{"display":"X"}}}"#,
            #"{"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","medication":{"display":"X"},"daysSupply":30.0}}"#,
            #"{"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","medication":{"display":"X"},"daysSupply":"30"}}"#,
            #"{"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","medication":{"display":"X"},"quantity":{"value":1e999}}}"#,
            #"{"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","medication":{}}}"#,  // display missing
            #"{"dispense":{"patient":{},"pharmacyDispenseId":"P","medication":{"display":"X"}}}"#,  // nam missing
            #"{"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","medication":{"display":"X"},"note":"\q"}}"#,
            #"{"dispense":{"patient":{"nam":"N"},"pharmacyDispenseId":"P","medication":{"display":"X"},"n":01}}"#,
            base + "x", String(base.dropLast()), "[]", "",
        ]
        for text in refused {
            #expect(Self.read(text) == nil, "\(text)")
        }
        // Invalid UTF-8 in a kept string.
        var bytes = Array(base.utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "X"))!] = 0xFF
        #expect(CheckContentReader.read(bytes) == nil)
    }
}
