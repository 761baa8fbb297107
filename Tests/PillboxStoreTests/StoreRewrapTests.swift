import Foundation
import GRDB
import PillboxCrypto
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Rewrapping the working keys under a new master key")
struct StoreRewrapTests {
    static let newKey = try! SecretKey(bytes: Array(repeating: 0x5E, count: 32))
    static let wrongKey = try! SecretKey(bytes: Array(repeating: 0x77, count: 32))

    /// The key table's rows (id, purpose, wrapped bytes), read with a separate connection.
    static func keyRows(_ directory: TemporaryDirectory) throws -> [[String]] {
        try Fixture.withDatabase(directory) { db in
            try Row.fetchAll(db, sql: "SELECT id, purpose, hex(wrapped) AS w FROM key ORDER BY id").map { [$0["id"], $0["purpose"], $0["w"]] }
        }
    }

    /// A closed store with records, its data key rotated once (so a retired key exists too).
    static func folder() async throws -> (TemporaryDirectory, DispenseRecord) {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory)
        let record = try await Fixture.create(store, try Fixture.dispense(id: "WRAP-1"))
        _ = try await store.startKeyRotation(now: Fixture.now)
        try store.close()
        return (directory, record)
    }

    @Test("Rewrap: the new master key opens every key and record, the old one no longer does; a rerun says it is done")
    func rewrapSwapsMasterKey() async throws {
        let (directory, record) = try await Self.folder()
        defer { directory.remove() }
        let path = Fixture.databasePath(directory)
        #expect(try Store.rewrapKeys(path: path, currentKey: Fixture.masterKey, newKey: Self.newKey) == .rewrapped(keys: 4))
        #expect(throws: StoreError.self) { try Store.checkKey(path: path, masterKey: Fixture.masterKey) }
        try Store.checkKey(path: path, masterKey: Self.newKey)
        #expect(try Store.rewrapKeys(path: path, currentKey: Fixture.masterKey, newKey: Self.newKey) == .alreadyDone)
        let store = try Fixture.open(directory, key: Self.newKey)
        defer { try? store.close() }
        #expect(try await store.dispense(id: record.id) == record)
        #expect(store.masterKeyID == Self.newKey.keyID)
    }

    @Test("A wrong current key is refused and changes nothing")
    func wrongCurrentKeyChangesNothing() async throws {
        let (directory, _) = try await Self.folder()
        defer { directory.remove() }
        let path = Fixture.databasePath(directory)
        let before = try Self.keyRows(directory)
        #expect(throws: StoreError.self) {
            try Store.rewrapKeys(path: path, currentKey: Self.wrongKey, newKey: Self.newKey)
        }
        #expect(try Self.keyRows(directory) == before)
        try Store.checkKey(path: path, masterKey: Fixture.masterKey)
    }

    @Test("A rewrap that fails between two keys changes nothing; run again, it finishes", arguments: [1, 2, 3, 4])
    func failureMidwayRollsBack(failAfter: Int) async throws {
        let (directory, record) = try await Self.folder()
        defer { directory.remove() }
        let path = Fixture.databasePath(directory)
        let before = try Self.keyRows(directory)
        struct Injected: Error {}
        #expect(throws: StoreError.self) {
            try Store.rewrapKeys(path: path, currentKey: Fixture.masterKey, newKey: Self.newKey) { done in
                if done == failAfter { throw Injected() }
            }
        }
        #expect(try Self.keyRows(directory) == before)
        try Store.checkKey(path: path, masterKey: Fixture.masterKey)
        #expect(try Store.rewrapKeys(path: path, currentKey: Fixture.masterKey, newKey: Self.newKey) == .rewrapped(keys: 4))
        let store = try Fixture.open(directory, key: Self.newKey)
        defer { try? store.close() }
        #expect(try await store.dispense(id: record.id) == record)
    }
}
