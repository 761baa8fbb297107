import PillboxModel
import Testing

@Suite("Identifiers")
struct IdentifiersTests {
    @Test("A NAM loses its spaces and becomes upper-case")
    func namIsNormalized() {
        #expect(Identifiers.normalizedNAM("tres 1234 5678") == "TRES12345678")
        #expect(Identifiers.normalizedNAM("TREM50020312") == "TREM50020312")
        #expect(Identifiers.normalizedNAM(" trem 5002 0312 ") == "TREM50020312")
    }

    @Test("A NAM of 11 or 13 characters is refused", arguments: ["TRES1234567", "TRES123456789", "", "TRES 1234 567"])
    func namOfWrongLengthIsRefused(raw: String) {
        #expect(Identifiers.normalizedNAM(raw) == nil)
    }

    @Test("A NAM that starts with digits or has letters among its digits is refused",
          arguments: ["12345678TRES", "1RES12345678", "TRE412345678", "TRES1234567A", "TRES12E45678"])
    func namWithLettersAndDigitsMisplacedIsRefused(raw: String) {
        #expect(Identifiers.normalizedNAM(raw) == nil)
    }

    @Test("A NAM with non-ASCII letters or digits is refused",
          arguments: ["ÉRES12345678", "éres12345678", "TRÉS12345678", "ＴRES12345678", "TRES1234567８", "TRES١٢٣٤٥٦٧٨"])
    func namWithNonASCIICharactersIsRefused(raw: String) {
        #expect(Identifiers.normalizedNAM(raw) == nil)
    }

    @Test("A NAM whose non-ASCII letters upper-case into ASCII is refused",
          arguments: ["ßRE12345678", "ıRES12345678", "ﬀRE12345678"])
    func namWithLettersThatUpperCaseIntoASCIIIsRefused(raw: String) {
        #expect(Identifiers.normalizedNAM(raw) == nil)
    }

    @Test("Only spaces are removed from a NAM, not tabs or other blanks",
          arguments: ["TRES\t12345678", "TRES\u{00A0}12345678", "TRES\n12345678"])
    func namWithOtherBlanksIsRefused(raw: String) {
        #expect(Identifiers.normalizedNAM(raw) == nil)
    }

    @Test("An ATC level-5 code becomes upper-case", arguments: [
        ("A10BA02", "A10BA02"), ("a10ba02", "A10BA02"), ("n02Be01", "N02BE01"), ("Z99zz99", "Z99ZZ99"),
    ])
    func atcIsNormalized(raw: String, expected: String) {
        #expect(Identifiers.normalizedATC(raw) == expected)
    }

    @Test("Anything else is not an ATC level-5 code, letters that upper-case into ASCII included", arguments: [
        "", "A10BA0", "A10BA021", "110BA02", "A1XBA02", "A10B102", "A10BA0Z", " A10BA02", "A10BA02 ", "A10-A02",
        "@10BA02", "[10BA02", "`10BA02", "{10BA02", "A/0BA02", "A:0BA02",
        "A10BÄ02", "a10bı02", "ſ10BA02", "Ａ10BA02", "A10BA0２", "ﬀ10BA0",
    ])
    func otherTextIsNotAnATCCode(raw: String) {
        #expect(Identifiers.normalizedATC(raw) == nil)
    }

    @Test("A DIN is exactly 8 ASCII digits")
    func dinIsEightASCIIDigits() {
        #expect(Identifiers.isDIN("02242903"))
        #expect(Identifiers.isDIN("00000000"))
    }

    @Test("Anything else is not a DIN",
          arguments: ["0224290", "022429031", "", "0224290A", " 02242903", "02242903 ", "0224 2903", "0224290８", "-2242903", "+2242903"])
    func otherTextIsNotADIN(value: String) {
        #expect(!Identifiers.isDIN(value))
    }
}
