import Foundation
import GRDB
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Durability settings")
struct StoreDurabilityTests {
    @Test("The database file is in WAL mode")
    func journalModeIsWAL() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let queue = try DatabaseQueue(path: Fixture.databasePath(directory))
        defer { try? queue.close() }
        #expect(try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("The writer commits with synchronous FULL and secure_delete on; readers have secure_delete too")
    func writerPragmas() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        #expect(try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA secure_delete") } == 1)
        #expect(try await store.pool.read { try Int.fetchOne($0, sql: "PRAGMA secure_delete") } == 1)
        #expect(try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 2)
    }

    @Test("Reopening the store keeps synchronous FULL")
    func pragmasAfterReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Fixture.open(directory).close()
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        #expect(try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(await store.isWritable())
    }
}
