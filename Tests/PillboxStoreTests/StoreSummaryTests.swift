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
        try Fixture.withDatabase(directory) { db in
            try db.execute(sql: """
                DROP TRIGGER store_summary_dispense_added; DROP TRIGGER store_summary_dispense_removed;
                DROP TRIGGER store_summary_version_added; DROP INDEX outbox_by_sent_at; DROP TABLE store_summary;
                DELETE FROM grdb_migrations WHERE identifier = 'v6-store-summary';
                """)
        }
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
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE state = 'pending'",
        "SELECT COUNT(*) FROM outbox WHERE state = 'failed'",
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
