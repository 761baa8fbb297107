import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// When a write hits SQLITE_FULL in the middle of a group commit, SQLite may roll the whole
/// transaction back; the batch's writers then got "transaction was aborted" (SQLITE_ABORT),
/// which the store did not recognise as a full disk and reported as `io` (503
/// store-unavailable, not disk-full). `PRAGMA max_page_count` on the writer makes SQLite
/// itself answer SQLITE_FULL once the file would grow.
@Suite("Group commit on a full disk")
struct StoreDiskFullBatchTests {
    @Test("Concurrent writes on a database that cannot grow: each is recorded or refused with diskFull naming ENOSPC, never io; after the cap is lifted they are recorded")
    func refusedWritesSayDiskFull() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        _ = try await Fixture.create(store, Fixture.dispense(id: "CAP-0"))
        try await store.pool.write { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for n in 0..<64 {
                group.addTask {
                    do {
                        _ = try await Fixture.create(store, Fixture.dispense(id: "CAP-\(n + 1)"))
                        return "created"
                    } catch let error as StoreError {
                        return error == StoreError(.diskFull, "ENOSPC: no space left on the disk (SQLITE_FULL, 13)") ? "disk-full" : "\(error)"
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(outcomes).isSubset(of: ["created", "disk-full"]), "\(Set(outcomes))")
        #expect(outcomes.contains("disk-full"))
        #expect(store.storageReport().state == .diskFull)
        let created = outcomes.filter { $0 == "created" }.count
        #expect(try await store.statistics().recordCount == 1 + created)

        try await store.pool.write { db in _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = 1073741823") }
        _ = try await Fixture.create(store, Fixture.dispense(id: "CAP-after"))
        #expect(try await store.statistics().recordCount == 2 + created)
    }
}
