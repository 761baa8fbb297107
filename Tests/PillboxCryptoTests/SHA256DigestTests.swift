import PillboxCrypto
import Testing

struct SHA256DigestTests {
    @Test("SHA-256 of 'abc' matches FIPS 180-2 Appendix B.1")
    func hashOfABC() {
        #expect(
            Hex.encode(SHA256Digest.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("SHA-256 of the empty message matches NIST CAVP SHA256ShortMsg (Len = 0)")
    func hashOfEmptyMessage() {
        #expect(
            Hex.encode(SHA256Digest.hash([]))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("SHA-256 of the two-block message matches FIPS 180-2 Appendix B.2")
    func hashOfTwoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(
            Hex.encode(SHA256Digest.hash(Array(message.utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
