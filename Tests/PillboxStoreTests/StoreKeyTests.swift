import Foundation
import PillboxCrypto
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Master key")
struct StoreKeyTests {
    /// Name and bytes of every file in the folder.
    static func snapshot(_ directory: TemporaryDirectory) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for file in directory.allFiles() {
            files[(file as NSString).lastPathComponent] = try Data(contentsOf: URL(fileURLWithPath: file))
        }
        return files
    }

    @Test("Opening with another master key fails with wrongKey and leaves every file byte-for-byte as it was")
    func wrongKeyChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyA = try SecretKey(bytes: Array(repeating: 0xA1, count: 32))
        let keyB = try SecretKey(bytes: Array(repeating: 0xB2, count: 32))
        let store = try Fixture.open(directory, key: keyA)
        let record = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        #expect(store.masterKeyID == keyA.keyID)
        try store.close()
        let before = try Self.snapshot(directory)
        #expect(before["pillbox.db"] != nil)

        #expect(throws: StoreError(.wrongKey, "the master key (id \(keyB.keyID)) does not open this data folder's keys; "
                                   + "start with the key this data folder was created with (or the key table was edited: restore from a backup)")) {
            try Fixture.open(directory, key: keyB)
        }

        let after = try Self.snapshot(directory)
        #expect(after.keys.sorted() == before.keys.sorted())
        #expect(after["pillbox.db"] == before["pillbox.db"])
        #expect(after["pillbox.db-wal"] == before["pillbox.db-wal"])

        let reopened = try Fixture.open(directory, key: keyA)
        defer { try? reopened.close() }
        #expect(try await reopened.dispense(id: record.id) == record)
    }
}
