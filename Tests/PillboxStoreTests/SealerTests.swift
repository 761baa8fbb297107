import Foundation
import PillboxCrypto
import PillboxModel
@testable import PillboxStore
import Testing

@Suite("One sealer: the associated data of every sealed place is fixed, byte for byte")
struct SealerTests {
    static let keyID = "data-00112233aabbccdd"
    static let sealer = Sealer(key: try! SecretKey(bytes: Array(repeating: 0x17, count: 32)), keyID: keyID)
    /// 2026-12-01T12:00:00.25Z; its bit pattern is 4745320308138835968.
    static let recordedAt = 1_796_126_400.25
    static let index = Data([0x00, 0x7C, 0xFF, 0x41])

    /// Each place with the associated data stores written so far carry. Changing any of these
    /// bytes makes every existing store unreadable: add a new versioned case instead.
    static let pinned: [(SealContext, [UInt8])] = [
        (.dispenseVersion(id: "5f0c1e2a-0000-4000-8000-000000000001", version: 3, status: "entered-in-error", recordedAt: recordedAt),
         Array("pillbox-dispense-v2|5f0c1e2a-0000-4000-8000-000000000001|3|data-00112233aabbccdd|entered-in-error|4745320308138835968".utf8)),
        (.outboxOutcome(seq: 9_007_199_254_740_993),
         Array("pillbox-outcome-v1|9007199254740993|data-00112233aabbccdd".utf8)),
        (.centralProfile(patientIndex: index),
         Array("pillbox-central-profile-v1|".utf8) + [0x00, 0x7C, 0xFF, 0x41] + Array("|data-00112233aabbccdd".utf8)),
    ]

    @Test("Each context's associated data is the pinned bytes")
    func associatedDataIsPinned() {
        for (context, bytes) in Self.pinned {
            #expect(context.associatedData(keyID: Self.keyID) == bytes, "\(context)")
        }
    }

    @Test("A version's associated data is the interpolated text it always was, for 10,000 random rows")
    func dispenseVersionBytesMatchTheText() {
        var generator = SystemRandomNumberGenerator()
        let statuses = ["completed", "cancelled", "entered-in-error", "in-progress"]
        for _ in 0..<10_000 {
            let id = UUID().uuidString.lowercased()
            let version = Int.random(in: 1...1_000_000, using: &generator)
            let status = statuses.randomElement(using: &generator)!
            let recordedAt = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            let keyID = "data-\(UInt64.random(in: 0...UInt64.max, using: &generator))"
            let text = "pillbox-dispense-v2|\(id)|\(version)|\(keyID)|\(status)|\(recordedAt.bitPattern)"
            let context = SealContext.dispenseVersion(id: id, version: version, status: status, recordedAt: recordedAt)
            #expect(context.associatedData(keyID: keyID) == Array(text.utf8))
        }
        for value: UInt64 in [0, 9, 10, UInt64.max] {
            var out: [UInt8] = []
            JSONBytes.appendDecimal(value, to: &out)
            #expect(out == Array("\(value)".utf8))
        }
    }

    @Test("A payload sealed with the pinned associated data (as stores before the Sealer wrote it) opens in its place only")
    func opensPayloadsOfEarlierStores() throws {
        let plaintext = Array(#"{"dispense":"x"}"#.utf8)
        for (index, (context, bytes)) in Self.pinned.enumerated() {
            let payload = Data(try AESGCM.seal(plaintext, key: Self.sealer.key, associatedData: bytes))
            #expect(Self.sealer.open(payload, keyID: Self.keyID, for: context) == plaintext)
            // Moved to any other place, or stored under another key id: refused.
            for (other, _) in Self.pinned.enumerated().filter({ $0.offset != index }).map(\.element) {
                #expect(Self.sealer.open(payload, keyID: Self.keyID, for: other) == nil)
            }
            #expect(Self.sealer.open(payload, keyID: "data-ffffffffffffffff", for: context) == nil)
        }
    }

    @Test("A version sealed for one row does not open for the same row with another status, version or time")
    func versionBindingCoversClearColumns() throws {
        let sealed = try Self.sealer.seal(json: ["reason": "r"], for: .dispenseVersion(id: "a", version: 1, status: "completed",
                                                                                       recordedAt: Self.recordedAt))
        #expect(Self.sealer.open([String: String].self, from: sealed, keyID: Self.keyID,
                                 for: .dispenseVersion(id: "a", version: 1, status: "completed", recordedAt: Self.recordedAt)) == ["reason": "r"])
        for moved: SealContext in [
            .dispenseVersion(id: "b", version: 1, status: "completed", recordedAt: Self.recordedAt),
            .dispenseVersion(id: "a", version: 2, status: "completed", recordedAt: Self.recordedAt),
            .dispenseVersion(id: "a", version: 1, status: "cancelled", recordedAt: Self.recordedAt),
            .dispenseVersion(id: "a", version: 1, status: "completed", recordedAt: Self.recordedAt + 0.001),
        ] {
            #expect(Self.sealer.open(sealed, keyID: Self.keyID, for: moved) == nil, "\(moved)")
        }
    }
}
