import Foundation
import GRDB
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("A store migrated by a newer Pillbox")
struct StoreNewerSchemaTests {
    @Test("Opening a store with a migration this version does not know is refused and changes nothing")
    func newerSchemaRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        _ = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        try store.close()
        // What a later version's migration leaves behind: its name in GRDB's migration table.
        let queue = try DatabaseQueue(path: Fixture.databasePath(directory))
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try queue.close()
        let before = try StoreKeyTests.snapshot(directory)

        #expect(throws: StoreError(.integrity, "this data folder was written by a newer version of Pillbox (its schema has "
                                   + "changes this version does not know); run that version or a newer one, or restore a backup "
                                   + "taken with this version")) {
            try Fixture.open(directory)
        }
        #expect(try StoreKeyTests.snapshot(directory) == before)
    }
}
