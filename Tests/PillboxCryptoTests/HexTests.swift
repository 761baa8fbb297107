import PillboxCrypto
import Testing

struct HexTests {
    @Test("Encoding gives lowercase hex with two digits per byte")
    func encodesLowercase() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
        #expect(Hex.encode([]) == "")
    }

    @Test("Decoding accepts lowercase, uppercase and mixed case")
    func decodesEitherCase() {
        #expect(Hex.decode("000fabff") == [0x00, 0x0f, 0xab, 0xff])
        #expect(Hex.decode("000FABFF") == [0x00, 0x0f, 0xab, 0xff])
        #expect(Hex.decode("aBcD") == [0xab, 0xcd])
        #expect(Hex.decode("") == [])
    }

    @Test("Decoding rejects odd length and non-hex characters", arguments: ["abc", "0g", " 00", "00\n", "zz", "é0"])
    func rejectsInvalidText(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test("Every byte survives an encode-decode round trip")
    func roundTripsEveryByte() {
        let all = (0...255).map { UInt8($0) }
        #expect(Hex.decode(Hex.encode(all)) == all)
    }
}
