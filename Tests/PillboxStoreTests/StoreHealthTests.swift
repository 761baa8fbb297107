import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Synchronization
import Testing

/// `/v1/health`'s store side: answered from real commits, at most one probe commit per
/// interval; ENOSPC transient, a failed fsync latched (docs/storage.md, "Storage health").
@Suite("Storage health")
struct StoreHealthTests {
    static func open(_ directory: TemporaryDirectory, interval: Duration) throws -> Store {
        try Store.open(path: Fixture.databasePath(directory), masterKey: Fixture.masterKey, logger: Fixture.logger,
                       now: Fixture.now, healthProbeInterval: interval)
    }

    /// Rows changed by the writer connection since it opened: each probe commit changes one.
    static func writerChanges(_ store: Store) async throws -> Int {
        try await store.pool.write { $0.totalChangesCount }
    }

    @Test("With a long interval, 200 health checks after the start-up commit run no probe commit")
    func checksAnswerFromTheLastCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.open(directory, interval: .seconds(3600))
        defer { try? store.close() }
        let before = try await Self.writerChanges(store)
        for _ in 0..<200 { #expect(await store.checkHealth().state == .ok) }
        #expect(store.storageReport().probeCommits == 0)
        #expect(try await Self.writerChanges(store) == before)
        #expect(store.storageReport().lastCommitAt != nil)
    }

    @Test("With a zero interval every check probes: the counter counts real commits")
    func zeroIntervalProbesEveryTime() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.open(directory, interval: .zero)
        defer { try? store.close() }
        let before = try await Self.writerChanges(store)
        for _ in 0..<25 { _ = await store.checkHealth() }
        #expect(store.storageReport().probeCommits == 25)
        #expect(try await Self.writerChanges(store) - before == 25)
    }

    @Test("60 health checks over at least 1.2 s with a 0.3 s interval cost at most ceil(elapsed / 0.3) probe commits")
    func probesArePaced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let started = ContinuousClock.now  // before the start-up commit: probes come after it
        let store = try Self.open(directory, interval: .milliseconds(300))
        defer { try? store.close() }
        let before = try await Self.writerChanges(store)
        for _ in 0..<60 {
            #expect(await store.checkHealth().state == .ok)
            try await Task.sleep(for: .milliseconds(20))
        }
        while ContinuousClock.now - started < .milliseconds(1200) {
            #expect(await store.checkHealth().state == .ok)
        }
        let elapsed = ContinuousClock.now - started
        let bound = Int((elapsed / .milliseconds(300)).rounded(.up))
        let probes = store.storageReport().probeCommits
        #expect(probes >= 1 && probes <= bound, "probes: \(probes), bound \(bound)")
        #expect(try await Self.writerChanges(store) - before == probes)
    }

    @Test("Real writes within the interval stand in for probes: none runs while dispenses are recorded")
    func writesSuppressProbes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.open(directory, interval: .seconds(1))
        defer { try? store.close() }
        for n in 0..<12 {
            _ = try await Fixture.create(store, Fixture.dispense(id: "HLT-\(n)"))
            for _ in 0..<10 { #expect(await store.checkHealth().state == .ok) }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(store.storageReport().probeCommits == 0)
    }

    @Test("SQLite's result codes map to disk full (transient), failed (latched), unavailable, or not storage")
    func classification() {
        let cases: [(ResultCode, StorageFault.Kind?, String)] = [
            (.SQLITE_FULL, .diskFull, "ENOSPC"),
            (ResultCode(rawValue: 1034), .failed, "SQLITE_IOERR_FSYNC"),
            (ResultCode(rawValue: 1290), .failed, "SQLITE_IOERR_DIR_FSYNC"),
            (ResultCode(rawValue: 778), .failed, "SQLITE_IOERR_WRITE"),
            (.SQLITE_IOERR, .failed, "SQLITE_IOERR, 10"),
            (ResultCode(rawValue: 3082), .unavailable, "SQLITE_IOERR_NOMEM"),
            (.SQLITE_READONLY, .unavailable, "read-only"),
            (.SQLITE_BUSY, .unavailable, "locked"),
            (.SQLITE_CONSTRAINT, nil, ""),
            (.SQLITE_ERROR, nil, ""),
        ]
        for (code, kind, cause) in cases {
            let fault = StorageFault.classify(DatabaseError(resultCode: code))
            #expect(fault?.kind == kind, "code \(code.rawValue)")
            #expect(fault?.cause.contains(cause) ?? (kind == nil), "code \(code.rawValue): \(fault?.cause ?? "nil")")
        }
        #expect(StorageFault.classify(StoreError(.integrity, "x")) == nil)
        #expect(StorageFault.classify(CancellationError()) == nil)
    }

    @Test("ENOSPC fails the write with diskFull and health names it; it stays reported within the interval, a commit after it clears it")
    func diskFullIsTransient() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.open(directory, interval: .seconds(3600))
        defer { try? store.close() }
        await #expect(throws: StoreError(.diskFull, "ENOSPC: no space left on the disk (SQLITE_FULL, 13)")) {
            try await store.write { _ in throw DatabaseError(resultCode: .SQLITE_FULL) }
        }
        let report = await store.checkHealth()
        #expect(report.state == .diskFull)
        #expect(report.cause?.contains("ENOSPC") == true)
        #expect(report.since != nil)
        // A write that fits commits at once, but the disk stays reported full for one interval.
        _ = try await Fixture.create(store, Fixture.dispense(id: "FULL-after"))
        #expect(await store.checkHealth().state == .diskFull)

        let other = try TemporaryDirectory()
        defer { other.remove() }
        let short = try Self.open(other, interval: .milliseconds(200))
        defer { try? short.close() }
        await #expect(throws: StoreError.self) {
            try await short.write { _ in throw DatabaseError(resultCode: .SQLITE_FULL) }
        }
        try await Task.sleep(for: .milliseconds(250))
        _ = try await Fixture.create(short, Fixture.dispense(id: "FULL-later"))
        #expect(await short.checkHealth() == StorageReport(state: .ok, lastCommitAt: short.storageReport().lastCommitAt))
    }

    @Test("A failed fsync at COMMIT latches: nothing of the batch is written, every later write is refused, reads go on")
    func failedFsyncLatches() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.open(directory, interval: .zero)
        defer { try? store.close() }
        let kept = try await Fixture.create(store, Fixture.dispense(id: "FSY-kept"))
        // A second observer fails the commit the way SQLite reports a failed fdatasync.
        let failing = FailingCommit()
        try await store.pool.writeWithoutTransaction { db in db.add(transactionObserver: failing, extent: .databaseLifetime) }
        failing.code.withLock { $0 = ResultCode(rawValue: 1034) }
        await #expect(throws: StoreError.self) {
            _ = try await store.recordDispense(Fixture.dispense(id: "FSY-lost"), now: Fixture.now, audit: Fixture.intakeAudit)
        }
        failing.code.withLock { $0 = nil }  // the disk "recovers": the store must still refuse
        do {
            _ = try await store.recordDispense(Fixture.dispense(id: "FSY-later"), now: Fixture.now, audit: Fixture.intakeAudit)
            Issue.record("a write was accepted after a failed fsync")
        } catch let error as StoreError {
            #expect(error.code == .storageFailed)
            #expect(error.message.contains("SQLITE_IOERR_FSYNC"))
        }
        let report = await store.checkHealth()
        #expect(report.state == .failed)
        #expect(report.cause?.contains("SQLITE_IOERR_FSYNC") == true)
        #expect(report.probeCommits == 0, "no probe once latched")
        #expect(try await store.dispense(id: kept.id)?.dispense.pharmacyDispenseId == "FSY-kept")
        #expect(try await store.statistics().recordCount == 1)
        #expect(await store.isWritable() == false)

        try store.close()
        let reopened = try Self.open(directory, interval: .zero)
        defer { try? reopened.close() }
        #expect(await reopened.checkHealth().state == .ok)
        #expect(try await reopened.statistics().recordCount == 1)
    }

    @Test("50 concurrent writers behind a failing fsync: every one gets an error, none is acknowledged, nothing is on disk")
    func failedFsyncFailsEveryWriterOfTheBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.open(directory, interval: .seconds(3600))
        let failing = FailingCommit()
        try await store.pool.writeWithoutTransaction { db in db.add(transactionObserver: failing, extent: .databaseLifetime) }
        failing.code.withLock { $0 = ResultCode(rawValue: 1034) }
        let dispenses = try (0..<50).map { try Fixture.dispense(id: "BATCH-\($0)") }
        let outcomes = await withTaskGroup(of: StoreError.Code?.self) { group in
            for dispense in dispenses {
                group.addTask {
                    do {
                        _ = try await store.recordDispense(dispense, now: Fixture.now, audit: Fixture.intakeAudit)
                        return nil
                    } catch let error as StoreError {
                        return error.code
                    } catch {
                        return .io
                    }
                }
            }
            var codes: [StoreError.Code?] = []
            for await code in group { codes.append(code) }
            return codes
        }
        #expect(outcomes.filter { $0 == nil }.count == 0, "acknowledged writes")
        #expect(outcomes.allSatisfy { $0 == .storageFailed }, "\(outcomes)")
        try store.close()
        #expect(try Fixture.withDatabase(directory) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dispense") } == 0)
    }

    @Test("A commit under way that never completed holds back the next batch until its error is classified")
    func inDoubtGate() throws {
        let health = StorageHealth(probeInterval: .seconds(1), logger: Fixture.logger)
        try health.admitWork()
        health.commitStarted()
        health.commitCompleted()
        try health.admitWork()
        health.commitStarted()  // the commit hook ran; no completion followed
        #expect(throws: StoreError.self) { try health.admitWork(doubtWait: .milliseconds(20)) }
        health.commitCompleted()  // an empty commit of the refused batch does not clear the doubt
        #expect(throws: StoreError.self) { try health.admitWork(doubtWait: .milliseconds(20)) }
        health.writeFailed(StorageFault(kind: .diskFull, cause: "ENOSPC"))
        try health.admitWork()
        // A work waiting in doubt goes on as soon as the failure is classified as a full disk.
        health.commitStarted()
        let classifier = Thread { usleep(50_000); health.writeFailed(StorageFault(kind: .diskFull, cause: "ENOSPC")) }
        classifier.start()
        let waited = ContinuousClock.now
        try health.admitWork()
        #expect(ContinuousClock.now - waited >= .milliseconds(40))
        health.commitStarted()
        health.writeFailed(StorageFault(kind: .failed, cause: "fsync"))
        #expect(throws: StoreError(.storageFailed, "fsync")) { try health.admitWork() }
        #expect(health.refusal() == StoreError(.storageFailed, "fsync"))
    }

    @Test("A writer with writes waiting and none completing counts as stalled; a failing one does not")
    func stalledWriter() throws {
        let health = StorageHealth(probeInterval: .seconds(1), logger: Fixture.logger)
        #expect(!health.writerStalled(longerThan: .zero, now: .now + .seconds(5)))
        health.writeStarted()
        #expect(!health.writerStalled(longerThan: .seconds(10), now: .now + .seconds(5)))
        #expect(health.writerStalled(longerThan: .seconds(1), now: .now + .seconds(5)))
        health.writeFailed(StorageFault(kind: .diskFull, cause: "ENOSPC"))
        #expect(!health.writerStalled(longerThan: .seconds(1), now: .now + .seconds(5)))
    }
}

/// A transaction observer that fails COMMIT with `code` (when set), as SQLite fails a commit
/// whose fsync failed.
final class FailingCommit: TransactionObserver, Sendable {
    let code = Mutex<ResultCode?>(nil)
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseWillCommit() throws {
        if let code = code.withLock({ $0 }) { throw DatabaseError(resultCode: code) }
    }
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}
}
