import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Recording dispenses")
struct StoreIntakeTests {
    @Test("Recording a new dispense creates version 1, completed, waiting for upload")
    func recordingCreatesVersionOne() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let dispense = try Fixture.dispense(id: "PDI-1")

        let result = try await store.recordDispense(dispense, now: Fixture.now, audit: Fixture.intakeAudit)

        guard case .created(let record) = result else { Issue.record("expected .created, got \(result)"); return }
        #expect(record.version == 1)
        #expect(record.status == .completed)
        #expect(record.reason == nil)
        #expect(record.sync == .init(state: .pending))
        #expect(record.recordedAt == "2026-12-01T12:00:00.000Z")
        #expect(record.dispense == dispense)
        #expect(record.id.count == 36)
        #expect(record.id == record.id.lowercased())
        #expect(try await store.dispense(id: record.id) == record)
        #expect(try await store.history(id: record.id) == [record])
        let stats = try await store.statistics()
        #expect(stats.recordCount == 1)
        #expect(stats.pendingCount == 1)
        #expect(stats.failedCount == 0)
        #expect(stats.oldestPendingAt == Fixture.now)
        #expect(stats.databaseBytes > 0)
    }

    @Test("Sending the same dispense again replays the record without writing a version")
    func sameContentIsReplayed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let created = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))

        let again = try await store.recordDispense(try Fixture.dispense(id: "PDI-1"), now: Fixture.now.addingTimeInterval(60),
                                                   audit: Fixture.intakeAudit)

        #expect(again == .replayed(created))
        #expect(try await store.statistics().recordCount == 1)
        #expect(try await store.statistics().pendingCount == 1)
        try store.close()
        #expect(try Fixture.withDatabase(directory) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dispense_version") } == 1)
    }

    @Test("Sending different content under a known pharmacyDispenseId is a conflict that writes no version")
    func differentContentConflicts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let created = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))

        let conflict = try await store.recordDispense(try Fixture.dispense(id: "PDI-1", note: "different"), now: Fixture.now,
                                                      audit: Fixture.intakeAudit)

        #expect(conflict == .conflict(existingID: created.id))
        #expect(try await store.dispense(id: created.id) == created)
        #expect(try await store.statistics().recordCount == 1)
        // Each attempt leaves exactly one audit entry, with the outcome the audit closure chose from the result.
        let audit = try await store.auditEntries(since: nil, limit: 10)
        #expect(audit.map(\.outcome) == [201, 409])
        #expect(audit.map(\.dispenseID) == [created.id, created.id])
        try store.close()
        #expect(try Fixture.withDatabase(directory) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dispense_version") } == 1)
        #expect(try Fixture.withDatabase(directory) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox") } == 1)
    }

    @Test("A replay after a correction answers with the current version")
    func replayAfterCorrectionReturnsCurrentVersion() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let created = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        let changed = try await store.correctDispense(
            id: created.id, correction: try Fixture.correction(Samples.dispense(id: "PDI-1", lot: "L999"), reason: "Lot"),
            now: Fixture.now, audit: Fixture.changeAudit)
        guard case .changed(let version2) = changed else { Issue.record("expected .changed, got \(changed)"); return }

        #expect(try await store.recordDispense(try Fixture.dispense(id: "PDI-1"), now: Fixture.now, audit: Fixture.intakeAudit)
            == .replayed(version2))
    }

    @Test("Distinct pharmacyDispenseIds make distinct records with distinct ids")
    func distinctDispensesAreDistinctRecords() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let first = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        let second = try await Fixture.create(store, try Fixture.dispense(id: "PDI-2"))
        #expect(first.id != second.id)
        #expect(try await store.statistics().recordCount == 2)
        #expect(try await store.dispense(id: "no-such-id") == nil)
        #expect(try await store.history(id: "no-such-id") == [])
    }

    @Test("Records survive closing and reopening the store")
    func recordsSurviveReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let created = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        let dataKeyID = store.dataKeyID
        try store.close()

        let reopened = try Fixture.open(directory)
        defer { try? reopened.close() }
        #expect(reopened.dataKeyID == dataKeyID)
        #expect(try await reopened.dispense(id: created.id) == created)
        #expect(await reopened.isWritable())
    }
}
