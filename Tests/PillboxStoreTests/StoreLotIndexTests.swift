import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Recall by lot, however the lot was typed")
struct StoreLotIndexTests {
    static let din = "02242903"
    static let migration = "v3-normalised-lot-index"

    @Test("LotNumber.normalized upper-cases and drops spaces, hyphens and other dashes")
    func normalization() {
        #expect(LotNumber.normalized("ab-123") == "AB123")
        #expect(LotNumber.normalized(" AB 123 ") == "AB123")
        #expect(LotNumber.normalized("ab\u{2013}12\u{00A0}3") == "AB123")
        #expect(LotNumber.normalized("AB.123") == "AB.123")
        #expect(LotNumber.normalized("AB123") != LotNumber.normalized("AB124"))
    }

    @Test("A fill recorded as AB-123 is found by ab-123, AB 123, ab123 and AB123, and keeps its lot as entered")
    func recallFindsEveryWriting() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let fill = try await Fixture.create(store, try Fixture.dispense(id: "LOT-1", din: Self.din, lot: "AB-123"))
        _ = try await Fixture.create(store, try Fixture.dispense(id: "LOT-2", din: Self.din, lot: "AB-124"))
        for query in ["ab-123", "AB 123", "ab123", "AB123", "a-b-1-2-3"] {
            let found = try await store.recall(RecallQuery(din: Self.din, lot: query, limit: 10)).records
            #expect(found.map(\.id) == [fill.id], "lot \(query)")
        }
        #expect(try await store.dispense(id: fill.id)?.dispense.lot == "AB-123")
    }

    @Test("A store written with the old lot index migrates once at open: old fills are found by any writing")
    func oldStoreMigrates() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let first = try await Fixture.create(store, try Fixture.dispense(id: "OLD-1", din: Self.din, lot: "AB-123"))
        let second = try await Fixture.create(store, try Fixture.dispense(id: "OLD-2", din: Self.din, lot: "cd 45"))
        let noLot = try await Fixture.create(store, try Fixture.dispense(id: "OLD-3", din: Self.din, lot: nil))
        // The index as the daemon computed it before: over the lot as entered.
        let oldIndex = ["AB-123", "cd 45"].map { store.keys.blindIndex("lot", $0) }
        try store.close()
        // Make it the store an older daemon left: old indexes, the migration not yet applied.
        try Fixture.withDatabase(directory) { db in
            try db.execute(sql: "UPDATE dispense SET lot_index = ? WHERE id = ?", arguments: [oldIndex[0], first.id])
            try db.execute(sql: "UPDATE dispense SET lot_index = ? WHERE id = ?", arguments: [oldIndex[1], second.id])
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
        }

        let reopened = try Fixture.open(directory)
        for (query, expected) in [("ab-123", first.id), ("AB 123", first.id), ("ab123", first.id), ("AB-123", first.id),
                                  ("CD45", second.id), ("cd-45", second.id), ("cd 45", second.id)] {
            let found = try await reopened.recall(RecallQuery(din: Self.din, lot: query, limit: 10)).records
            #expect(found.map(\.id) == [expected], "lot \(query)")
        }
        #expect(try await reopened.recall(RecallQuery(din: Self.din, limit: 10)).records.count == 3)
        try reopened.close()
        try Fixture.withDatabase(directory) { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = ?",
                                     arguments: [Self.migration]) == 1)
            #expect(try Data?.fetchOne(db, sql: "SELECT lot_index FROM dispense WHERE id = ?", arguments: [noLot.id]) == .some(nil))
            let indexes = try Data.fetchAll(db, sql: "SELECT lot_index FROM dispense WHERE lot_index IS NOT NULL ORDER BY id")
            #expect(Set(indexes).isDisjoint(with: Set(oldIndex)))
        }
    }

    @Test("The migration skips a record that fails authentication, migrates the others, and the store opens")
    func migrationSkipsABrokenRecord() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let sound = try await Fixture.create(store, try Fixture.dispense(id: "MIG-1", din: Self.din, lot: "ab-9"))
        let broken = try await Fixture.create(store, try Fixture.dispense(id: "MIG-2", din: Self.din, lot: "ab-8"))
        let oldSound = store.keys.blindIndex("lot", "ab-9")
        let oldBroken = store.keys.blindIndex("lot", "ab-8")
        try store.close()
        try Fixture.withDatabase(directory) { db in
            try db.execute(sql: "UPDATE dispense SET lot_index = ? WHERE id = ?", arguments: [oldSound, sound.id])
            try db.execute(sql: "UPDATE dispense SET lot_index = ? WHERE id = ?", arguments: [oldBroken, broken.id])
            // Flip one byte of the broken record's sealed payload.
            var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?",
                                                         arguments: [broken.id]))
            payload[payload.startIndex + 20] ^= 0xFF
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payload, broken.id])
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
        }
        let reopened = try Fixture.open(directory)
        defer { try? reopened.close() }
        #expect(try await reopened.recall(RecallQuery(din: Self.din, lot: "AB9", limit: 10)).records.map(\.id) == [sound.id])
        let left = try await reopened.read { db in
            try Data.fetchOne(db, sql: "SELECT lot_index FROM dispense WHERE id = ?", arguments: [broken.id])
        }
        #expect(left == oldBroken)
    }
}
