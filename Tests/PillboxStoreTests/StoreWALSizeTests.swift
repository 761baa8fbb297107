import Dispatch
import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// The write-ahead log after a long read: it grows while the read keeps it from being
/// checkpointed, and is cut back to `Store.walSizeLimit` once SQLite starts it over
/// (docs/storage.md, "The write-ahead log's size").
@Suite("Write-ahead log size")
struct StoreWALSizeTests {
    static func walSize(_ store: Store) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? NSNumber).intValue
    }

    @Test("A log grown to 13 MiB under a long read is cut back to 8 MiB by the writes after the read, with nothing lost")
    func cutBackAfterLongRead() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        try await store.pool.write { db in try db.execute(sql: "CREATE TABLE filler(b BLOB)") }

        // A read that holds its snapshot until let go, as an archive's or a backup's check does.
        let release = DispatchSemaphore(value: 0)
        let began = DispatchSemaphore(value: 0)
        let reading = Task {
            try await store.pool.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM filler")
                began.signal()
                release.wait()
            }
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { began.wait(); done.resume() }
        }
        for _ in 0..<13 {
            try await store.pool.write { db in try db.execute(sql: "INSERT INTO filler VALUES (randomblob(1048576))") }
        }
        let grown = try Self.walSize(store)
        #expect(grown > 13 << 20)
        release.signal()
        try await reading.value

        // The first write after the read checkpoints the whole log (SQLite's automatic
        // checkpoint); the next one starts the log over, and the file is cut.
        try await store.appendAudit(StoreAuditTests.events(1))
        #expect(try Self.walSize(store) >= grown)
        try await store.appendAudit(StoreAuditTests.events(1))
        #expect(try Self.walSize(store) == Store.walSizeLimit)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM filler") } == 13)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 2, firstBrokenSeq: nil))
    }
}
