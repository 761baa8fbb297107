import PillboxCrypto
import Testing

/// `KeyedHMACSHA256` (keyed once, a copy of the keyed context per code): RFC 4231's codes
/// (section 4; case 5, truncated output, does not apply), from one object shared by many tasks.
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

    @Test("One keyed object used from 8 tasks at once, 4,000 messages: each code is the one its own object gives, one code at a time")
    func concurrentUse() async {
        let key = SecretKey.random().bytes
        func message(_ task: Int, _ n: Int) -> [UInt8] {
            Array("message \(task) \(n) ".utf8) + [UInt8](repeating: UInt8(n % 256), count: n % 200)
        }
        // Computed first, alone, each by an object of its own.
        let expected = (0..<8).map { task in (0..<500).map { KeyedHMACSHA256(key: key).authenticationCode(for: message(task, $0)) } }
        let shared = KeyedHMACSHA256(key: key)
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<500).filter { shared.authenticationCode(for: message(task, $0)) != expected[task][$0] }.count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
        #expect(Set(expected.joined()).count == 4_000)
    }

    @Test("It never prints its key")
    func redacted() {
        #expect("\(KeyedHMACSHA256(key: [1, 2, 3]))" == "KeyedHMACSHA256(redacted)")
    }
}
