import Foundation
@testable import PillboxStore
import Testing

@Suite("Record ids")
struct RecordIDTests {
    /// The time in an id's first 48 bits (12 hex digits), in milliseconds since 1970.
    static func milliseconds(_ id: String) -> UInt64? {
        UInt64(id.replacingOccurrences(of: "-", with: "").prefix(12), radix: 16)
    }

    @Test("A record id is a lower-case version-7 UUID, as UUID().uuidString.lowercased() writes it, and ids do not repeat")
    func recordIDsAreVersion7UUIDs() throws {
        let now = Date(timeIntervalSince1970: 1_796_000_000.123_9)
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = RecordID.new(at: now)
            #expect(id.count == 36)
            let parsed = try #require(UUID(uuidString: id))
            #expect(parsed.uuidString.lowercased() == id)
            let bytes = Array(id.utf8)
            #expect(bytes[14] == UInt8(ascii: "7"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
            #expect(Self.milliseconds(id) == 1_796_000_000_123)
            seen.insert(id)
        }
        // All 10,000 in the same millisecond: the 74 random bits keep them apart.
        #expect(seen.count == 10_000)
    }

    @Test("Ids of later records sort after those of earlier ones, one millisecond apart or more")
    func idsSortByTime() {
        // A tenth of a millisecond past each whole one, so that rounding down is not decided by
        // the last bit of a Double.
        let ids = (0..<2_000).map { RecordID.new(at: Date(timeIntervalSince1970: (1_796_000_000_000 + Double($0) + 0.1) / 1000)) }
        #expect(ids.sorted() == ids)
        #expect(ids.map { Self.milliseconds($0) } == (0..<2_000).map { UInt64(1_796_000_000_000 + $0) })
    }

    @Test("The time written is whole milliseconds, rounded down; 1970 and the largest 48-bit time still give a well-formed id")
    func timeBoundaries() throws {
        #expect(Self.milliseconds(RecordID.new(at: Date(timeIntervalSince1970: 0.0009))) == 0)
        #expect(Self.milliseconds(RecordID.new(at: Date(timeIntervalSince1970: 1.9999))) == 1_999)
        let early = RecordID.new(at: Date(timeIntervalSince1970: 0))
        #expect(early.hasPrefix("00000000-0000-7"))
        let latest = RecordID.new(at: Date(timeIntervalSince1970: Double((UInt64(1) << 48) - 1) / 1000))
        #expect(latest.hasPrefix("ffffffff-ffff-7"))
        _ = try #require(UUID(uuidString: latest))
    }
}
