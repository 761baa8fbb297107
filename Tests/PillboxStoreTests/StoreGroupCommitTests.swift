import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Group commit")
struct StoreGroupCommitTests {
    @Test("200 concurrent recordings are all created, each once, with 200 chained audit entries")
    func concurrentRecordingsAllCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let dispenses = try (0..<200).map { try Fixture.dispense(id: "PDI-\($0)") }

        let results = try await withThrowingTaskGroup(of: IntakeResult.self) { group in
            for dispense in dispenses {
                group.addTask { try await store.recordDispense(dispense, now: Fixture.now, audit: Fixture.intakeAudit) }
            }
            var results: [IntakeResult] = []
            for try await result in group { results.append(result) }
            return results
        }

        let created = results.compactMap { result -> DispenseRecord? in
            if case .created(let record) = result { return record }
            return nil
        }
        #expect(created.count == 200)
        #expect(Set(created.map(\.id)).count == 200)
        #expect(Set(created.map(\.dispense.pharmacyDispenseId)) == Set((0..<200).map { "PDI-\($0)" }))
        let stats = try await store.statistics()
        #expect(stats.recordCount == 200)
        #expect(stats.pendingCount == 200)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 200, firstBrokenSeq: nil))
        #expect(try await store.auditEntries(since: nil, limit: 1000).map(\.seq) == Array(1...200))
    }

    @Test("Concurrent submissions of one dispense create it once and replay it for everyone else")
    func concurrentDuplicatesCreateOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let dispense = try Fixture.dispense(id: "PDI-same")

        let results = try await withThrowingTaskGroup(of: IntakeResult.self) { group in
            for _ in 0..<20 {
                group.addTask { try await store.recordDispense(dispense, now: Fixture.now, audit: Fixture.intakeAudit) }
            }
            var results: [IntakeResult] = []
            for try await result in group { results.append(result) }
            return results
        }

        let created = results.compactMap { result -> DispenseRecord? in
            if case .created(let record) = result { return record }
            return nil
        }
        let record = try #require(created.first)
        #expect(created.count == 1)
        #expect(results.filter { $0 == .replayed(record) }.count == 19)
        #expect(try await store.statistics().recordCount == 1)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 20, firstBrokenSeq: nil))
    }

    @Test("A write that fails inside a shared commit rolls back alone; the others commit")
    func failingWriteRollsBackAlone() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let record = try await Fixture.create(store, try Fixture.dispense(id: "PDI-damaged"))
        // Corrupt version 1 so that a cancellation of it fails authentication inside the
        // transaction. (A replay of it no longer throws: it answers `.unreadable`; TamperedChangeTests.)
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE dispense_version SET payload = zeroblob(64) WHERE dispense_id = ?", arguments: [record.id])
        }
        let fresh = try (0..<10).map { try Fixture.dispense(id: "PDI-\($0)") }
        let cancellation = try Fixture.cancellation("cancelled", reason: "r")

        // nil: the cancellation, which must not succeed.
        let outcomes = await withTaskGroup(of: Result<IntakeResult?, StoreError>.self) { group in
            group.addTask {
                do {
                    _ = try await store.cancelDispense(id: record.id, cancellation: cancellation, now: Fixture.now,
                                                       audit: Fixture.intakeAudit)
                    return .success(nil)
                } catch { return .failure(error as! StoreError) }
            }
            for dispense in fresh {
                group.addTask {
                    do { return .success(try await store.recordDispense(dispense, now: Fixture.now, audit: Fixture.intakeAudit)) }
                    catch { return .failure(error as! StoreError) }
                }
            }
            var outcomes: [Result<IntakeResult?, StoreError>] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }

        let failures = outcomes.compactMap { outcome -> StoreError? in
            if case .failure(let error) = outcome { return error }
            return nil
        }
        #expect(failures.map(\.code) == [.integrity])
        #expect(outcomes.filter { if case .success(.created) = $0 { true } else { false } }.count == 10)
        #expect(try await store.statistics().recordCount == 11)
        // The failed write's audit entry went with its savepoint: 1 + 10 entries, still chained.
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 11, firstBrokenSeq: nil))
    }
}
