import PillboxCrypto
import Testing

/// AES-256-GCM vectors from McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)"
/// (revised 2005), Appendix B, Test Cases 13-16 (the 256-bit key cases). The same values
/// appear in NIST CAVP gcmEncryptExtIV256.rsp.
struct AESGCMTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String
        let nonce: String
        let plaintext: String
        let associatedData: String
        let ciphertext: String
        let tag: String
        var testDescription: String { name }
    }

    static let feffKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let caseFifteenPlaintext =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
    static let caseFifteenCiphertext =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"

    static let vectors: [Vector] = [
        // Test Case 13: zero key, zero nonce, empty plaintext, no AAD.
        Vector(
            name: "GCM Test Case 13", key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
            plaintext: "", associatedData: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        // Test Case 14: zero key, zero nonce, one zero block.
        Vector(
            name: "GCM Test Case 14", key: String(repeating: "00", count: 32), nonce: String(repeating: "00", count: 12),
            plaintext: String(repeating: "00", count: 16), associatedData: "",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        // Test Case 15: 64-byte plaintext, no AAD.
        Vector(
            name: "GCM Test Case 15", key: feffKey, nonce: "cafebabefacedbaddecaf888",
            plaintext: caseFifteenPlaintext, associatedData: "",
            ciphertext: caseFifteenCiphertext, tag: "b094dac5d93471bdec1a502270e3cc6c"),
        // Test Case 16: 60-byte plaintext, 20-byte AAD.
        Vector(
            name: "GCM Test Case 16", key: feffKey, nonce: "cafebabefacedbaddecaf888",
            plaintext: String(caseFifteenPlaintext.dropLast(8)),
            associatedData: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            ciphertext: String(caseFifteenCiphertext.dropLast(8)), tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    @Test("Sealing with the vector's nonce gives exactly nonce, ciphertext and tag", arguments: vectors)
    func sealMatchesPublishedVector(_ vector: Vector) throws {
        let key = try SecretKey(bytes: hex(vector.key))
        let sealed = try AESGCM.seal(
            hex(vector.plaintext), key: key, associatedData: hex(vector.associatedData), nonce: hex(vector.nonce))
        #expect(Hex.encode(sealed) == vector.nonce + vector.ciphertext + vector.tag)
    }

    @Test("Opening the published vector returns exactly its plaintext", arguments: vectors)
    func openMatchesPublishedVector(_ vector: Vector) throws {
        let key = try SecretKey(bytes: hex(vector.key))
        let combined = hex(vector.nonce + vector.ciphertext + vector.tag)
        let plaintext = try AESGCM.open(combined, key: key, associatedData: hex(vector.associatedData))
        #expect(plaintext == hex(vector.plaintext))
    }

    static let sample: (key: SecretKey, aad: [UInt8], sealed: [UInt8]) = {
        let vector = vectors[3]
        let key = try! SecretKey(bytes: hex(vector.key))
        return (key, hex(vector.associatedData), hex(vector.nonce + vector.ciphertext + vector.tag))
    }()

    @Test("Flipping one bit anywhere in nonce, ciphertext or tag fails authentication")
    func bitFlipsFailAuthentication() {
        let (key, aad, sealed) = Self.sample
        // First nonce byte, first and last ciphertext byte, first and last tag byte.
        for index in [0, 12, sealed.count - 17, sealed.count - 16, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 0x01
            let error = #expect(throws: CryptoError.self) {
                try AESGCM.open(tampered, key: key, associatedData: aad)
            }
            #expect(error?.code == .authenticationFailed, "byte \(index)")
        }
    }

    @Test("Flipping one bit of the associated data fails authentication")
    func associatedDataBitFlipFailsAuthentication() {
        let (key, aad, sealed) = Self.sample
        var tamperedAAD = aad
        tamperedAAD[5] ^= 0x80
        let error = #expect(throws: CryptoError.self) {
            try AESGCM.open(sealed, key: key, associatedData: tamperedAAD)
        }
        #expect(error?.code == .authenticationFailed)
    }

    @Test("Opening with the wrong key fails authentication and the message reveals no key")
    func wrongKeyFailsAuthentication() {
        let (_, aad, sealed) = Self.sample
        let wrongKey = SecretKey.random()
        let error = #expect(throws: CryptoError.self) {
            try AESGCM.open(sealed, key: wrongKey, associatedData: aad)
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error.map { !String(describing: $0).contains(Hex.encode(wrongKey.bytes)) } == true)
    }

    @Test("Sealing the same plaintext twice gives different outputs because the nonce is random")
    func randomNoncesMakeSealsDiffer() throws {
        let key = SecretKey.random()
        let plaintext = Array("the same pill schedule".utf8)
        let first = try AESGCM.seal(plaintext, key: key, associatedData: [])
        let second = try AESGCM.seal(plaintext, key: key, associatedData: [])
        #expect(first != second)
        #expect(first.prefix(12) != second.prefix(12))
        #expect(try AESGCM.open(first, key: key, associatedData: []) == plaintext)
        #expect(try AESGCM.open(second, key: key, associatedData: []) == plaintext)
    }

    @Test("Empty plaintext with empty associated data round-trips to 28 bytes")
    func emptyPlaintextAndAssociatedDataRoundTrip() throws {
        let key = SecretKey.random()
        let sealed = try AESGCM.seal([], key: key, associatedData: [])
        #expect(sealed.count == 28)
        #expect(try AESGCM.open(sealed, key: key, associatedData: []) == [])
    }

    @Test("A large message round-trips")
    func largeMessageRoundTrips() throws {
        let key = SecretKey.random()
        let plaintext = SecureRandom.bytes(1 << 20)
        let aad = SecureRandom.bytes(1000)
        let sealed = try AESGCM.seal(plaintext, key: key, associatedData: aad)
        #expect(sealed.count == plaintext.count + 28)
        #expect(try AESGCM.open(sealed, key: key, associatedData: aad) == plaintext)
    }

    @Test("Input shorter than nonce plus tag is malformed", arguments: [0, 1, 27])
    func shortInputIsMalformed(length: Int) {
        let error = #expect(throws: CryptoError.self) {
            try AESGCM.open([UInt8](repeating: 0, count: length), key: SecretKey.random(), associatedData: [])
        }
        #expect(error?.code == .malformedCiphertext)
    }

    @Test("An explicit nonce that is not 12 bytes is rejected", arguments: [0, 8, 16])
    func wrongNonceLengthIsRejected(length: Int) {
        let error = #expect(throws: CryptoError.self) {
            try AESGCM.seal([1, 2, 3], key: SecretKey.random(), associatedData: [], nonce: [UInt8](repeating: 0, count: length))
        }
        #expect(error?.code == .invalidNonceLength)
    }
}
