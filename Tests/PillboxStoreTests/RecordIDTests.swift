import Foundation
@testable import PillboxStore
import Testing

@Suite("Record ids")
struct RecordIDTests {
    @Test("A record id is a lower-case version-4 UUID, as UUID().uuidString.lowercased() gave, and ids do not repeat")
    func recordIDsAreVersion4UUIDs() throws {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = RecordID.random()
            #expect(id.count == 36)
            #expect(id == id.lowercased())
            let parsed = try #require(UUID(uuidString: id))
            #expect(parsed.uuidString.lowercased() == id)
            let bytes = Array(id.utf8)
            #expect(bytes[14] == UInt8(ascii: "4"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }
}
