import PillboxCrypto
import Testing

struct KeyWrapTests {
    @Test("A wrapped key unwraps to the same key with the same master and label")
    func roundTrip() throws {
        let master = SecretKey.random()
        let dataKey = SecretKey.random()
        let wrapped = try KeyWrap.wrap(dataKey, with: master, label: "medication-db")
        #expect(wrapped.count == 60)
        #expect(!Hex.encode(wrapped).contains(Hex.encode(dataKey.bytes)))
        #expect(try KeyWrap.unwrap(wrapped, with: master, label: "medication-db") == dataKey)
    }

    @Test("The wrapped form is AES-256-GCM with the versioned label as associated data")
    func formatIsGCMWithLabelledAAD() throws {
        let master = SecretKey.random()
        let dataKey = SecretKey.random()
        let wrapped = try KeyWrap.wrap(dataKey, with: master, label: "x")
        let opened = try AESGCM.open(wrapped, key: master, associatedData: Array("pillbox-keywrap-v1:x".utf8))
        #expect(opened == dataKey.bytes)
    }

    @Test("Unwrapping with the wrong master key fails authentication")
    func wrongMasterFails() throws {
        let wrapped = try KeyWrap.wrap(SecretKey.random(), with: SecretKey.random(), label: "medication-db")
        let error = #expect(throws: CryptoError.self) {
            try KeyWrap.unwrap(wrapped, with: SecretKey.random(), label: "medication-db")
        }
        #expect(error?.code == .authenticationFailed)
    }

    @Test("Unwrapping with the wrong label fails authentication")
    func wrongLabelFails() throws {
        let master = SecretKey.random()
        let wrapped = try KeyWrap.wrap(SecretKey.random(), with: master, label: "medication-db")
        let error = #expect(throws: CryptoError.self) {
            try KeyWrap.unwrap(wrapped, with: master, label: "audit-log")
        }
        #expect(error?.code == .authenticationFailed)
    }

    @Test("A wrapped key of the wrong length is malformed")
    func wrongLengthIsMalformed() throws {
        let master = SecretKey.random()
        let wrapped = try KeyWrap.wrap(SecretKey.random(), with: master, label: "l")
        let error = #expect(throws: CryptoError.self) {
            try KeyWrap.unwrap(Array(wrapped.dropLast()), with: master, label: "l")
        }
        #expect(error?.code == .malformedCiphertext)
    }
}
