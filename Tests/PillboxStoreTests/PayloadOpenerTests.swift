import Foundation
import PillboxCrypto
@testable import PillboxStore
import Testing

/// One `PayloadOpener` for a whole read: payloads under several data keys, in any order, each
/// bound to its place, as `Sealer.open` opens them one by one.
struct PayloadOpenerTests {
    static func context(_ index: Int) -> SealContext {
        .dispenseVersion(id: "d-\(index)", version: index % 3 + 1, status: "completed", recordedAt: 1_796_126_400.25 + Double(index))
    }

    @Test("One opener opens 200 payloads under two data keys, interleaved, each to exactly its plaintext")
    func opensManyUnderTwoKeys() throws {
        let keyring = DataKeyring(currentID: "data-old", keys: ["data-old": SecretKey.random()], master: SecretKey.random())
        let oldSealer = keyring.sealer
        keyring.add(id: "data-new", key: SecretKey.random())
        keyring.makeCurrent(id: "data-new")
        let sealer = keyring.sealer
        let payloads = try (0..<200).map { index in
            let plaintext = Array(#"{"fill":\#(index)}"#.utf8)
            let by = index % 2 == 0 ? oldSealer : sealer
            return (plaintext, by.keyID, try by.seal(plaintext, for: Self.context(index)))
        }
        let opener = PayloadOpener(sealer: sealer)
        for (index, (plaintext, keyID, payload)) in payloads.enumerated() {
            #expect(opener.open(payload, keyID: keyID, for: Self.context(index)) == plaintext, "payload \(index)")
        }
    }

    @Test("An altered, moved or misnamed payload gives nil, and the next good one still opens")
    func failureLeavesNothingBehind() throws {
        let sealer = SealerTests.sealer
        let keyID = SealerTests.keyID
        let first = try sealer.seal(Array("first".utf8), for: Self.context(1))
        let second = try sealer.seal(Array("second".utf8), for: Self.context(2))
        var altered = second
        altered[altered.count - 1] ^= 0x01
        let opener = PayloadOpener(sealer: sealer)
        #expect(opener.open(altered, keyID: keyID, for: Self.context(2)) == nil)
        #expect(opener.open(first, keyID: keyID, for: Self.context(1)) == Array("first".utf8))
        #expect(opener.open(second, keyID: keyID, for: Self.context(1)) == nil)
        #expect(opener.open(second, keyID: keyID, for: Self.context(2)) == Array("second".utf8))
        #expect(opener.open(first, keyID: "data-ffffffffffffffff", for: Self.context(1)) == nil)
        #expect(opener.open(Data([1, 2, 3]), keyID: keyID, for: Self.context(1)) == nil)
        #expect(opener.open(first, keyID: keyID, for: Self.context(1)) == Array("first".utf8))
        #expect(opener.open([String: String].self, from: try sealer.seal(json: ["a": "b"], for: Self.context(3)),
                            keyID: keyID, for: Self.context(3)) == ["a": "b"])
    }
}
