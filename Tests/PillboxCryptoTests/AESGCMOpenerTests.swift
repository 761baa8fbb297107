import PillboxCrypto
import Testing

/// One `AESGCMOpener` opening many messages in a row: each message starts from its own nonce,
/// so a failure leaves nothing behind for the next.
struct AESGCMOpenerTests {
    /// `count` messages of lengths 0, 7, 14, ... under `key`, each with its own associated data.
    static func messages(_ count: Int, key: SecretKey) throws -> [(plaintext: [UInt8], aad: [UInt8], sealed: [UInt8])] {
        try (0..<count).map { index in
            let plaintext = (0..<(index * 7)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            let aad = Array("message-\(index)".utf8)
            return (plaintext, aad, try AESGCM.seal(plaintext, key: key, associatedData: aad))
        }
    }

    @Test("One opener opens 300 messages in a row, each to exactly its plaintext")
    func opensManyInARow() throws {
        let key = SecretKey.random()
        let opener = try AESGCMOpener(key: key)
        let messages = try Self.messages(300, key: key)
        for (index, message) in messages.enumerated() {
            #expect(try opener.open(message.sealed, associatedData: message.aad) == message.plaintext, "message \(index)")
        }
        // The published vector (GCM Test Case 16) through an opener that has already opened 300.
        let vector = AESGCMTests.vectors[3]
        let vectorOpener = try AESGCMOpener(key: SecretKey(bytes: hex(vector.key)))
        for message in messages.prefix(3) {
            #expect(throws: CryptoError.self) { try vectorOpener.open(message.sealed, associatedData: message.aad) }
        }
        let combined = hex(vector.nonce + vector.ciphertext + vector.tag)
        #expect(try vectorOpener.open(combined, associatedData: hex(vector.associatedData)) == hex(vector.plaintext))
    }

    @Test("A message with an altered byte or the wrong associated data fails, and the next good one still opens")
    func failureLeavesNothingBehind() throws {
        let key = SecretKey.random()
        let opener = try AESGCMOpener(key: key)
        let messages = try Self.messages(4, key: key)
        let (plaintext, aad, sealed) = messages[3]
        // Nonce, ciphertext, last tag byte.
        for index in [0, 12, sealed.count - 1] {
            var altered = sealed
            altered[index] ^= 0x01
            let error = #expect(throws: CryptoError.self) { try opener.open(altered, associatedData: aad) }
            #expect(error?.code == .authenticationFailed, "byte \(index)")
            #expect(try opener.open(sealed, associatedData: aad) == plaintext, "after byte \(index)")
        }
        let error = #expect(throws: CryptoError.self) { try opener.open(sealed, associatedData: messages[2].aad) }
        #expect(error?.code == .authenticationFailed)
        #expect(try opener.open(messages[2].sealed, associatedData: messages[2].aad) == messages[2].plaintext)
        #expect(try opener.open(sealed, associatedData: aad) == plaintext)
    }

    @Test("Input shorter than nonce plus tag is malformed, and the next good message still opens", arguments: [0, 1, 27])
    func shortInputIsMalformed(length: Int) throws {
        let key = SecretKey.random()
        let opener = try AESGCMOpener(key: key)
        let error = #expect(throws: CryptoError.self) {
            try opener.open([UInt8](repeating: 0, count: length), associatedData: [])
        }
        #expect(error?.code == .malformedCiphertext)
        let message = try Self.messages(2, key: key)[1]
        #expect(try opener.open(message.sealed, associatedData: message.aad) == message.plaintext)
    }

    @Test("An opener with the wrong key fails authentication on every message")
    func wrongKeyFails() throws {
        let messages = try Self.messages(5, key: SecretKey.random())
        let opener = try AESGCMOpener(key: SecretKey.random())
        for message in messages {
            let error = #expect(throws: CryptoError.self) { try opener.open(message.sealed, associatedData: message.aad) }
            #expect(error?.code == .authenticationFailed)
        }
    }
}

extension AESGCMOpener {
    /// `open(_:associatedData:)` on arrays, as the tests hold messages.
    func open(_ combined: [UInt8], associatedData: [UInt8]) throws -> [UInt8] {
        try combined.withUnsafeBytes { sealed in
            try associatedData.withUnsafeBytes { aad in try open(sealed, associatedData: aad) }
        }
    }
}
