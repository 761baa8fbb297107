import PillboxCrypto
import Testing

/// HMAC-SHA256 test cases from RFC 4231, section 4 (case 5, truncated output, does not apply).
struct HMACSHA256Tests {
    @Test("RFC 4231 test case 1: 20-byte key, 'Hi There'")
    func rfc4231Case1() {
        let code = HMACSHA256.authenticationCode(
            for: Array("Hi There".utf8), key: [UInt8](repeating: 0x0b, count: 20))
        #expect(Hex.encode(code) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("RFC 4231 test case 2: key shorter than the output, 'Jefe'")
    func rfc4231Case2() {
        let code = HMACSHA256.authenticationCode(
            for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(Hex.encode(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("RFC 4231 test case 3: 50 bytes of 0xdd under 20 bytes of 0xaa")
    func rfc4231Case3() {
        let code = HMACSHA256.authenticationCode(
            for: [UInt8](repeating: 0xdd, count: 50), key: [UInt8](repeating: 0xaa, count: 20))
        #expect(Hex.encode(code) == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test("RFC 4231 test case 4: 25-byte key 0x01...0x19, 50 bytes of 0xcd")
    func rfc4231Case4() {
        let code = HMACSHA256.authenticationCode(
            for: [UInt8](repeating: 0xcd, count: 50), key: Array(1...25))
        #expect(Hex.encode(code) == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test("RFC 4231 test case 6: 131-byte key larger than the block size")
    func rfc4231Case6() {
        let code = HMACSHA256.authenticationCode(
            for: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            key: [UInt8](repeating: 0xaa, count: 131))
        #expect(Hex.encode(code) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("RFC 4231 test case 7: key and data both larger than the block size")
    func rfc4231Case7() {
        let message = "This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm."
        let code = HMACSHA256.authenticationCode(
            for: Array(message.utf8), key: [UInt8](repeating: 0xaa, count: 131))
        #expect(Hex.encode(code) == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    @Test("Empty key and empty message give the well-known HMAC of nothing")
    func emptyKeyAndMessage() {
        // HMAC-SHA256("", "") as listed on Wikipedia's HMAC page ("HMAC_SHA256("", "")").
        #expect(
            Hex.encode(HMACSHA256.authenticationCode(for: [], key: []))
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}

/// `KeyedHMACSHA256` (keyed once, a copy of the keyed context per code) gives the one-shot's codes.
struct KeyedHMACSHA256Tests {
    @Test("RFC 4231 test cases 1-4, 6 and 7, and the empty key and message", arguments: [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131), Array(("This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm.").utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ([], [], "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
    ])
    func rfc4231(_ key: [UInt8], _ message: [UInt8], _ expected: String) {
        let keyed = KeyedHMACSHA256(key: key)
        #expect(Hex.encode(keyed.authenticationCode(for: message)) == expected)
        // The keyed context is not used up: the same code again.
        #expect(Hex.encode(keyed.authenticationCode(for: message)) == expected)
    }

    @Test("One keyed object used from 8 tasks at once, 4,000 messages: each code is the one-shot's")
    func concurrentUse() async {
        let key = SecretKey.random().bytes
        let keyed = KeyedHMACSHA256(key: key)
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for n in 0..<500 {
                        let message = Array("message \(task) \(n) ".utf8) + [UInt8](repeating: UInt8(n % 256), count: n % 200)
                        if keyed.authenticationCode(for: message) != HMACSHA256.authenticationCode(for: message, key: key) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    @Test("It never prints its key")
    func redacted() {
        #expect("\(KeyedHMACSHA256(key: [1, 2, 3]))" == "KeyedHMACSHA256(redacted)")
    }
}
