import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// `/v1/status`'s counts without reading every row (`v6-store-summary`): the number of
/// dispenses and the newest recording time kept by triggers, the last upload from an index.
@Suite("Store summary for the status")
struct StoreSummaryTests {
    /// What counting every row says, to compare the summary with.
    static func counted(_ directory: TemporaryDirectory) throws -> (dispenses: Int, newest: Double?) {
        try Fixture.withDatabase(directory) { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense") ?? -1,
             try Double.fetchOne(db, sql: "SELECT MAX(recorded_at) FROM dispense_version"))
        }
    }

    /// Puts the database back as daemons before v6 left it: no summary, its triggers, its index
    /// or its migrations (v6's, and v7's, which adds to it).
    static func forgetSummary(_ db: Database) throws {
        for trigger in Schema.storeSummaryTriggers { try db.execute(sql: "DROP TRIGGER \(trigger)") }
        try db.execute(sql: """
            DROP INDEX outbox_by_sent_at; DROP TABLE store_summary;
            DELETE FROM grdb_migrations WHERE identifier IN ('v6-store-summary', 'v7-outbox-summary');
            """)
    }

    /// What counting the outbox says: pending, failed.
    static func countedOutbox(_ directory: TemporaryDirectory) throws -> [Int] {
        try Fixture.withDatabase(directory) { db in
            try ["pending", "failed"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = ?", arguments: [$0]) ?? -1 }
        }
    }

    @Test("The pending and failed counts follow intake, uploads, dead letters and requeues; the oldest pending is the first queued")
    func outboxCountsFollowWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        func figures() async throws -> [Int] {
            let stats = try await store.statistics()
            return [stats.pendingCount, stats.failedCount]
        }
        #expect(try await figures() == [0, 0])
        #expect(try await store.statistics().oldestPendingAt == nil)
        for n in 0..<4 {
            _ = try await store.recordDispense(try Fixture.dispense(id: "OUT-\(n)"), now: Fixture.now.addingTimeInterval(Double(n)),
                                               audit: Fixture.intakeAudit)
        }
        #expect(try await figures() == [4, 0])
        #expect(try await store.statistics().oldestPendingAt == Fixture.now)
        let seqs = try await store.nextUploadBatch(limit: 10, now: Fixture.now.addingTimeInterval(60)).items.map(\.seq)
        try #require(seqs.count == 4)
        try await store.recordUploadResults([(seqs[0], .sent), (seqs[1], .deadLetter(summary: "HTTP 422", outcome: nil)),
                                             (seqs[2], .retry(at: Fixture.now.addingTimeInterval(600), summary: "HTTP 503"))],
                                            now: Fixture.now.addingTimeInterval(61))
        #expect(try await figures() == [2, 1])
        #expect(try await store.statistics().oldestPendingAt == Fixture.now.addingTimeInterval(2))
        _ = try await store.requeue(seq: seqs[1], now: Fixture.now.addingTimeInterval(120))
        #expect(try await figures() == [3, 0])
        #expect(try await store.statistics().oldestPendingAt == Fixture.now.addingTimeInterval(1))
        try store.close()
        #expect(try Self.countedOutbox(directory) == [3, 0])
    }

    @Test("A store from before v7 has its outbox counted once at the upgrade, then kept")
    func outboxUpgradeCounts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        for n in 0..<3 { _ = try await Fixture.create(store, try Fixture.dispense(id: "OLD-\(n)")) }
        let seqs = try await store.nextUploadBatch(limit: 10, now: Fixture.now.addingTimeInterval(60)).items.map(\.seq)
        try await store.recordUploadResults([(seqs[0], .deadLetter(summary: "HTTP 422", outcome: nil))],
                                            now: Fixture.now.addingTimeInterval(61))
        try store.close()
        try Fixture.withDatabase(directory) { db in
            for trigger in Schema.outboxSummaryTriggers { try db.execute(sql: "DROP TRIGGER \(trigger)") }
            try db.execute(sql: """
                ALTER TABLE store_summary DROP COLUMN pending; ALTER TABLE store_summary DROP COLUMN failed;
                DELETE FROM grdb_migrations WHERE identifier = 'v7-outbox-summary';
                """)
        }
        let reopened = try Fixture.open(directory)
        #expect(try await reopened.statistics().pendingCount == 2)
        #expect(try await reopened.statistics().failedCount == 1)
        _ = try await Fixture.create(reopened, try Fixture.dispense(id: "OLD-3"))
        #expect(try await reopened.statistics().pendingCount == 3)
        try reopened.close()
        #expect(try Self.countedOutbox(directory) == [3, 1])
    }

    @Test("The count and the newest recording time follow intake, replays and corrections")
    func followsWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        #expect(try await store.statistics().recordCount == 0)
        #expect(try await store.healthFacts().newestRecordAt == nil)
        let first = try await Fixture.create(store, try Fixture.dispense(id: "RX-1"))
        _ = try await Fixture.create(store, try Fixture.dispense(id: "RX-2"))
        _ = try await store.recordDispense(try Fixture.dispense(id: "RX-2"), now: Fixture.now, audit: Fixture.intakeAudit)
        #expect(try await store.statistics().recordCount == 2)
        #expect(try await store.healthFacts().newestRecordAt == Fixture.now)
        let later = Fixture.now.addingTimeInterval(3600)
        var body = Samples.dispense(id: "RX-1")
        body["quantity"] = ["value": 10, "unit": "tablet"]
        _ = try await store.correctDispense(id: first.id, correction: try Fixture.correction(body, reason: "ten"), now: later,
                                            audit: Fixture.changeAudit)
        #expect(try await store.statistics().recordCount == 2)
        #expect(try await store.healthFacts().newestRecordAt == later)
        try store.close()
        let counted = try Self.counted(directory)
        #expect(counted.dispenses == 2)
        #expect(counted.newest == later.timeIntervalSince1970)
    }

    @Test("A store from before v6 is counted once at the upgrade, then kept")
    func upgradeCounts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        for n in 0..<5 { _ = try await Fixture.create(store, try Fixture.dispense(id: "RX-\(n)")) }
        try store.close()
        try Fixture.withDatabase(directory) { db in try StoreSummaryTests.forgetSummary(db) }
        let reopened = try Fixture.open(directory)
        #expect(try await reopened.statistics().recordCount == 5)
        #expect(try await reopened.healthFacts().newestRecordAt == Fixture.now)
        _ = try await Fixture.create(reopened, try Fixture.dispense(id: "RX-5"))
        #expect(try await reopened.statistics().recordCount == 6)
        try reopened.close()
        #expect(try Self.counted(directory).dispenses == 6)
    }

    /// At a million records a scan is about 0.7 s of CPU per status (docs/performance.md).
    @Test("The status's queries read no whole table", arguments: [
        "SELECT dispenses FROM store_summary WHERE id = 1",
        "SELECT newest_recorded_at FROM store_summary WHERE id = 1",
        "SELECT MAX(sent_at) FROM outbox WHERE sent_at IS NOT NULL",
        "SELECT pending, failed FROM store_summary WHERE id = 1",
        "SELECT created_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1",
    ])
    func plansReadNoTable(sql: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Fixture.open(directory).close()
        let plan = try Fixture.withDatabase(directory) { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
        }
        #expect(!plan.isEmpty)
        #expect(plan.allSatisfy { !$0.hasPrefix("SCAN") }, "\(plan)")
    }
}

/// The v6 upgrade on a disk too full for it (its index of sent entries, its triggers): refused
/// at open with what to do, rolled back, and done at the next start once there is room.
@Suite("Store summary: an upgrade on a full disk")
struct StoreSummaryRoomTests {
    /// A v5 store of 3,000 dispenses, all uploaded, compacted; returns the database's size.
    static func v5Store(_ directory: TemporaryDirectory) async throws -> Int {
        let store = try Fixture.open(directory)
        let dispenses = try (0..<3_000).map { try Fixture.dispense(id: "SUM-\($0)", nam: String(format: "SUMM%08d", $0 % 300)) }
        _ = try await store.bulkRecordDispenses(dispenses, now: Fixture.now) { _ in Fixture.intakeAudit }
        try store.close()
        try Fixture.withDatabase(directory) { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'sent', sent_at = 1796126400 + seq;
                """)
            try StoreSummaryTests.forgetSummary(db)
        }
        let queue = try DatabaseQueue(path: Fixture.databasePath(directory))
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        try queue.close()
        return (try FileManager.default.attributesOfItem(atPath: Fixture.databasePath(directory))[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test("On a real tmpfs: refused with what to do when the upgrade cannot fit, nothing of it kept; upgraded once there is room")
    func realTmpfs() async throws {
        try #require(getuid() == 0, "mounting a tmpfs needs root (CI runs as root)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let size = try await Self.v5Store(directory)
        // 72 KiB: the -shm file (32 KiB) and a few WAL frames, not the index of 3,000 sent entries
        // (refused from 48 to 96 KiB here; below 40 not even the -shm fits, from 160 it upgrades).
        for (room, upgrades) in [(72 * 1024, false), (4 * size, true)] {
            let (refusal, copy, path) = try await TmpfsOpen.open(directory, tmpfsBytes: size + room)
            defer { copy.remove() }
            let applied = try Fixture.withDatabase(copy) { db in
                try String.fetchAll(db, sql: """
                    SELECT identifier FROM grdb_migrations WHERE identifier IN ('v6-store-summary', 'v7-outbox-summary')
                     ORDER BY identifier
                    """)
                    + String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE '%store_summary%' ORDER BY name")
            }
            if upgrades {
                #expect(refusal == nil, "\(refusal?.message ?? "")")
                #expect(applied == ["v6-store-summary", "v7-outbox-summary", "store_summary", "store_summary_dispense_added",
                                    "store_summary_dispense_removed", "store_summary_outbox_added", "store_summary_outbox_changed",
                                    "store_summary_outbox_removed", "store_summary_version_added"])
            } else {
                #expect(refusal?.code == .diskFull, "\(refusal?.message ?? "no error")")
                #expect(refusal?.message == "preparing the database at \(path) (an upgrade to this "
                    + "version of Pillbox, or its first keys) needs more free space than its disk has: free space on that "
                    + "disk, then start pillboxd again; the step that could not finish was rolled back")
                #expect(applied == [])
            }
        }
    }
}
