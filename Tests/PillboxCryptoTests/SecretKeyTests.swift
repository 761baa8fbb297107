import PillboxCrypto
import Testing

struct SecretKeyTests {
    @Test("A key must be exactly 32 bytes", arguments: [0, 16, 31, 33, 64])
    func rejectsWrongLength(_ count: Int) {
        let error = #expect(throws: CryptoError.self) {
            try SecretKey(bytes: [UInt8](repeating: 7, count: count))
        }
        #expect(error?.code == .invalidKeyLength)
    }

    @Test("A 32-byte key keeps its bytes")
    func keepsBytes() throws {
        let bytes = Array(0..<32).map { UInt8($0) }
        #expect(try SecretKey(bytes: bytes).bytes == bytes)
    }

    @Test("Descriptions, dumps and interpolation never show the key bytes")
    func descriptionsAreRedacted() {
        let key = SecretKey.random()
        let keyHex = Hex.encode(key.bytes)
        #expect(key.description == "SecretKey(redacted)")
        #expect(key.debugDescription == "SecretKey(redacted)")
        #expect("\(key)" == "SecretKey(redacted)")
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains(keyHex))
        #expect(!dumped.contains("\(key.bytes[0]), \(key.bytes[1])"))
    }

    @Test("The key ID is the first 8 bytes of SHA-256 of the key, in lowercase hex")
    func keyIDIsTruncatedSHA256() throws {
        // SHA-256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925.
        let zero = try SecretKey(bytes: [UInt8](repeating: 0, count: 32))
        #expect(zero.keyID == "66687aadf862bd77")
        let random = SecretKey.random()
        #expect(random.keyID == Hex.encode(Array(SHA256Digest.hash(random.bytes).prefix(8))))
        #expect(random.keyID.count == 16)
    }

    @Test("Random keys differ and equality compares bytes")
    func randomKeysDiffer() throws {
        let first = SecretKey.random()
        let second = SecretKey.random()
        #expect(first != second)
        #expect(try SecretKey(bytes: first.bytes) == first)
    }

    @Test("Secure random returns the requested number of bytes, differently each time")
    func secureRandomLengths() {
        #expect(SecureRandom.bytes(0) == [])
        #expect(SecureRandom.bytes(1000).count == 1000)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }
}
