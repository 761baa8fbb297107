import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Synchronization
import Testing

/// The archive reads the trail a page at a time (`AuditArchiveScan`): no snapshot is held
/// between pages, so the write-ahead log can be checkpointed while a long archive runs, and
/// the chain's check is carried across pages.
@Suite("Audit archive, read in pages")
struct StoreAuditArchivePagesTests {
    typealias Archive = StoreAuditArchiveTests

    /// `PRAGMA wal_checkpoint(PASSIVE)`, which waits for nobody: the frames in the log, and
    /// how many of them it could copy into the database. A reader whose snapshot is older
    /// than the last commit keeps the frames after its snapshot from being copied.
    static func checkpoint(_ store: Store) async throws -> (log: Int, copied: Int) {
        try await store.pool.writeWithoutTransaction { db in
            let row = try #require(try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)"))
            return (row[1], row[2])
        }
    }

    @Test("Between two pages no read is held: entries appended there are kept, every frame of the log can be checkpointed, the file has every entry once")
    func noSnapshotBetweenPages() async throws {
        let (directory, destination, store, before) = try await Archive.prepared(25)
        defer { directory.remove(); destination.remove() }
        let seen = Observed()
        let outcome = try await store.archiveAudit(before: Archive.at(500), into: destination.path, batchSize: 10, pageSize: 4,
                                                   betweenPages: { page in
            try await store.appendAudit([AuditEvent(at: Archive.at(1000 + Double(page)), uid: 7, pid: 7, role: "reader",
                                                    action: "GET /v1/health", outcome: 200)])
            let (log, copied) = try await Self.checkpoint(store)
            seen.add(page: page, log: log, copied: copied)
        })
        // 25 entries in pages of 4: pages 1 to 6 follow a full page, and page 7 reads entry 26, appended after page 6.
        #expect(seen.pages == Array(1...6))
        #expect(seen.log.allSatisfy { $0 > 0 })
        #expect(seen.copied == seen.log)
        #expect(outcome.range == AuditArchiveRange(firstSeq: 1, lastSeq: 25, entries: 25, firstAt: before[0].at, lastAt: before[24].at))
        let lines = try Archive.lines(try #require(outcome.file?.path))
        #expect(try lines.dropFirst().dropLast().map { try JSONDecoder().decode(AuditEntry.self, from: $0) } == before)
        let remaining = try await store.auditEntries(since: nil, limit: 100)
        #expect(remaining.map(\.seq) == Array(26...31))
        #expect(remaining.first?.prevHash == before[24].hash)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 6, firstBrokenSeq: nil))
    }

    @Test("Between two pages the scan checkpoints the log, so the next write starts it over: a long archive under writes does not grow it")
    func checkpointsBetweenPages() async throws {
        let (directory, destination, store, _) = try await Archive.prepared(25)
        defer { directory.remove(); destination.remove() }
        let event = AuditEvent(at: Archive.at(1000), uid: 7, pid: 7, role: "reader", action: "GET /v1/health", outcome: 200)
        // The frames one append writes into a log just started over.
        _ = try await Self.checkpoint(store)
        try await store.appendAudit([event])
        let oneAppend = try await Self.checkpoint(store).log
        #expect(oneAppend > 0)
        let seen = Observed()
        _ = try await store.archiveAudit(before: Archive.at(500), into: destination.path, pageSize: 4, betweenPages: { page in
            try await store.appendAudit([event])
            if page == 6 {
                let (log, copied) = try await Self.checkpoint(store)
                seen.add(page: page, log: log, copied: copied)
            }
        })
        // Six appends, one after each of the first six pages: without the scan's checkpoints the
        // log would hold all six (the test's own checkpoint runs only after the last).
        #expect(seen.pages == [6])
        #expect(seen.log.allSatisfy { $0 > 0 && $0 < 2 * oneAppend }, "\(seen.log), one append: \(oneAppend)")
    }

    @Test("An archive cancelled during its scan (the daemon stopping) stops at the next page: no file, nothing removed; a rerun archives all")
    func cancelledDuringScan() async throws {
        let (directory, destination, store, before) = try await Archive.prepared(12)
        defer { directory.remove(); destination.remove() }
        let archiving = Task {
            try await store.archiveAudit(before: Archive.at(500), into: destination.path, pageSize: 4, betweenPages: { page in
                if page == 2 { withUnsafeCurrentTask { $0?.cancel() } }
            })
        }
        var stopped: (any Error)?
        do { _ = try await archiving.value } catch { stopped = error }
        #expect(stopped as? AuditArchiveError == AuditArchiveError(.io, "the archive stopped before anything was removed from the "
            + "store (pillboxd is stopping, or the request was cancelled); nothing was kept in the destination: run it again"))
        #expect(try Archive.names(destination) == [])
        #expect(try await store.auditEntries(since: nil, limit: 100) == before)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 12, firstBrokenSeq: nil))

        let again = try await store.archiveAudit(before: Archive.at(500), into: destination.path, pageSize: 4)
        #expect(again.range?.entries == 12)
        #expect(try Archive.names(destination) == ["pillbox-audit-1-12.jsonl"])
        #expect(try await store.auditEntries(since: nil, limit: 100) == [])
    }

    @Test("An archive cancelled during its removal finishes the removal: the file complete, every entry removed once, the chain whole")
    func cancelledDuringRemoval() async throws {
        let (directory, destination, store, before) = try await Archive.prepared(12)
        defer { directory.remove(); destination.remove() }
        let archiving = Task {
            try await store.archiveAudit(before: Archive.at(500), into: destination.path, batchSize: 4, beforeBatch: { index in
                if index == 1 { withUnsafeCurrentTask { $0?.cancel() } }
            })
        }
        let outcome = try await archiving.value
        #expect(outcome.range == AuditArchiveRange(firstSeq: 1, lastSeq: 12, entries: 12, firstAt: before[0].at, lastAt: before[11].at))
        #expect(try Archive.names(destination) == ["pillbox-audit-1-12.jsonl"])
        #expect(try await store.auditEntries(since: nil, limit: 100) == [])
        try await store.appendAudit(StoreAuditTests.events(1))
        #expect(try await store.auditEntries(since: nil, limit: 100).first?.prevHash == before[11].hash)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 1, firstBrokenSeq: nil))
    }

    @Test("Progress in the log: every 10 pages read and every 10 batches removed, the file's check, the end; counts and paths only")
    func progressLogged() async throws {
        let directory = try TemporaryDirectory()
        let destination = try TemporaryDirectory()
        defer { directory.remove(); destination.remove() }
        let capture = LogCapture()
        let store = try Fixture.open(directory, logger: capture.logger)
        try await store.appendAudit(StoreAuditTests.events(25))
        _ = try await store.archiveAudit(before: Archive.at(500), into: destination.path, batchSize: 1, pageSize: 1)
        let lines = capture.records.filter { $0.message.hasPrefix("Audit") }.map(\.rendered)
        #expect(lines == [
            "Audit archive: reading the trail archive.read=10",
            "Audit archive: reading the trail archive.read=20",
            "Audit archive: file written, reading it back to check it archive.entries=25 "
                + "archive.partial=\(destination.file(".pillbox-audit-1.partial"))",
            "Audit archive: removing the archived entries from the store archive.entries=25 archive.removed=10",
            "Audit archive: removing the archived entries from the store archive.entries=25 archive.removed=20",
            "Audit entries archived archive.entries=25 archive.first=1 archive.last=25 "
                + "archive.path=\(destination.file("pillbox-audit-1-25.jsonl"))",
        ])
    }

    @Test("A prefix that ends at a page's end, inside a page, or at the next page's first entry: every entry once, in order")
    func pageEnds() async throws {
        // (page size, the day as entry n's time): 8 entries, entry n recorded at n seconds.
        for (pageSize, day, archived) in [(4, 100.0, 8), (3, 100.0, 8), (1, 100.0, 8), (8, 100.0, 8), (4, 4.5, 4), (3, 7.5, 7)] {
            let (directory, destination, store, before) = try await Archive.prepared(8)
            defer { directory.remove(); destination.remove() }
            let dry = try await store.archiveAudit(before: Archive.at(day), into: destination.path, dryRun: true, pageSize: pageSize)
            #expect(dry.range?.entries == archived, "page size \(pageSize), day \(day)")
            let outcome = try await store.archiveAudit(before: Archive.at(day), into: destination.path, batchSize: 3, pageSize: pageSize)
            #expect(outcome.range == AuditArchiveRange(firstSeq: 1, lastSeq: Int64(archived), entries: archived, firstAt: before[0].at,
                                                       lastAt: before[archived - 1].at), "page size \(pageSize), day \(day)")
            let lines = try Archive.lines(try #require(outcome.file?.path))
            #expect(try lines.dropFirst().dropLast().map { try JSONDecoder().decode(AuditEntry.self, from: $0) }
                    == Array(before.prefix(archived)), "page size \(pageSize), day \(day)")
            #expect(try JSONDecoder().decode(AuditArchiveFile.Trailer.self, from: try #require(lines.last))
                    == AuditArchiveFile.Trailer(trailer: AuditArchiveFile.format, entries: archived, lastSeq: Int64(archived),
                                                lastHash: before[archived - 1].hash))
            #expect(try await store.auditEntries(since: nil, limit: 100) == Array(before.dropFirst(archived)))
            #expect(try await store.verifyAuditChain() == AuditVerification(entries: 8 - archived, firstBrokenSeq: nil))
        }
    }

    @Test("The chain is checked across pages: an entry edited or deleted at a page's start is found, and nothing is written")
    func brokenAtPageStart() async throws {
        for (sql, detail) in [
            ("UPDATE audit SET outcome = 403 WHERE seq = 5", "audit entry 5 does not hold (entry 5 was expected next"),
            ("DELETE FROM audit WHERE seq = 5", "audit entry 6 does not hold (entry 5 was expected next"),
        ] {
            let (directory, destination, store, before) = try await Archive.prepared(10)
            defer { directory.remove(); destination.remove() }
            try store.close()
            try Fixture.withDatabase(directory) { try $0.execute(sql: sql) }
            let reopened = try Fixture.open(directory)
            var broken: AuditArchiveError?
            do {
                _ = try await reopened.archiveAudit(before: Archive.at(100), into: destination.path, pageSize: 4)
            } catch let error as AuditArchiveError { broken = error }
            #expect(broken == AuditArchiveError(.chainBroken, detail + ", linked to the one before it): nothing was archived; "
                + "`pillbox audit verify` says what is wrong"))
            #expect(try Archive.names(destination) == [])
            #expect(try await reopened.auditEntries(since: nil, limit: 100).count == (sql.hasPrefix("DELETE") ? 9 : 10))
            #expect(try await reopened.auditEntries(since: nil, limit: 100).first == before.first)
        }
    }

    /// What `betweenPages` saw.
    final class Observed: Sendable {
        private let values = Mutex<(pages: [Int], log: [Int], copied: [Int])>(([], [], []))
        func add(page: Int, log: Int, copied: Int) {
            values.withLock { $0.pages.append(page); $0.log.append(log); $0.copied.append(copied) }
        }
        var pages: [Int] { values.withLock { $0.pages } }
        var log: [Int] { values.withLock { $0.log } }
        var copied: [Int] { values.withLock { $0.copied } }
    }
}
