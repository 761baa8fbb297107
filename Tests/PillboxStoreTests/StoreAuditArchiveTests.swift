import Foundation
import GRDB
import PillboxCrypto
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// `Store.archiveAudit` (docs/audit-archive.md): the oldest entries moved to a file, the
/// chain still verifiable from the anchor, nothing lost at any failure.
@Suite("Audit archive")
struct StoreAuditArchiveTests {
    /// Entry n is recorded at `Fixture.now` + n seconds.
    static func at(_ n: Double) -> Date { Fixture.now.addingTimeInterval(n) }

    /// A store with `count` entries, open, and a destination folder beside it.
    static func prepared(_ count: Int) async throws -> (TemporaryDirectory, TemporaryDirectory, Store, [AuditEntry]) {
        let directory = try TemporaryDirectory()
        let destination = try TemporaryDirectory()
        let store = try Fixture.open(directory)
        try await store.appendAudit(StoreAuditTests.events(count))
        let entries = try await store.auditEntries(since: nil, limit: 1000)
        return (directory, destination, store, entries)
    }

    static func lines(_ path: String) throws -> [Data] {
        try Data(contentsOf: URL(fileURLWithPath: path)).split(separator: UInt8(ascii: "\n")).map { Data($0) }
    }

    static func names(_ folder: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// The store's own check and the offline check (`pillbox verify`), on the closed store.
    static func offlineProblems(_ directory: TemporaryDirectory) throws -> [VerifyProblem] {
        let store = try ReadOnlyStore(path: Fixture.databasePath(directory), masterKey: Fixture.masterKey)
        defer { store.close() }
        return try store.verify().problems
    }

    @Test("Archiving a prefix: the file holds exactly those entries, linked; the store the rest; both checks pass; appends go on")
    func archivesPrefix() async throws {
        let (directory, destination, store, before) = try await Self.prepared(10)
        defer { directory.remove(); destination.remove() }
        let outcome = try await store.archiveAudit(before: Self.at(6.5), into: destination.path, now: Self.at(100), batchSize: 4)

        let range = AuditArchiveRange(firstSeq: 1, lastSeq: 6, entries: 6, firstAt: before[0].at, lastAt: before[5].at)
        #expect(outcome.range == range)
        let file = try #require(outcome.file)
        #expect(file.path == destination.file("pillbox-audit-1-6.jsonl"))
        #expect(try Self.names(destination) == ["pillbox-audit-1-6.jsonl"])
        let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
        #expect(file.bytes == Int64(data.count))
        #expect(file.sha256 == Hex.encode(SHA256Digest.hash(Array(data))))
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)

        let lines = try Self.lines(file.path)
        #expect(lines.count == 8)
        let decoder = JSONDecoder()
        let header = try decoder.decode(AuditArchiveFile.Header.self, from: lines[0])
        #expect(header == AuditArchiveFile.Header(format: "pillbox-audit-archive-v1", firstSeq: 1, prevHash: String(repeating: "0", count: 64),
                                                  before: Timestamps.format(Self.at(6.5)), writtenAt: Timestamps.format(Self.at(100))))
        #expect(try lines[1...6].map { try decoder.decode(AuditEntry.self, from: $0) } == Array(before.prefix(6)))
        #expect(try decoder.decode(AuditArchiveFile.Trailer.self, from: lines[7])
                == AuditArchiveFile.Trailer(trailer: "pillbox-audit-archive-v1", entries: 6, lastSeq: 6, lastHash: before[5].hash))

        #expect(try await store.auditEntries(since: nil, limit: 1000) == Array(before.suffix(4)))
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 4, firstBrokenSeq: nil))
        #expect(try await store.verifyAudit().problems == [])

        try await store.appendAudit(StoreAuditTests.events(1))
        let appended = try #require(try await store.auditEntries(since: nil, after: 10, limit: 10).first)
        #expect(appended.seq == 11)
        #expect(appended.prevHash == before[9].hash)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 5, firstBrokenSeq: nil))
        try store.close()
        #expect(try Self.offlineProblems(directory) == [])
    }

    @Test("Archiving every entry: the next entry links to the anchor; the next archive's file starts from it")
    func archivesEverything() async throws {
        let (directory, destination, store, before) = try await Self.prepared(5)
        defer { directory.remove(); destination.remove() }
        let first = try await store.archiveAudit(before: Self.at(1000), into: destination.path, now: Self.at(100))
        #expect(first.range?.entries == 5)
        #expect(try await store.auditEntries(since: nil, limit: 10) == [])
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 0, firstBrokenSeq: nil))

        try await store.appendAudit(StoreAuditTests.events(1))
        let next = try #require(try await store.auditEntries(since: nil, limit: 10).first)
        #expect(next.seq == 6)
        #expect(next.prevHash == before[4].hash)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 1, firstBrokenSeq: nil))

        let second = try await store.archiveAudit(before: Self.at(1000), into: destination.path, now: Self.at(200))
        #expect(second.range == AuditArchiveRange(firstSeq: 6, lastSeq: 6, entries: 1, firstAt: next.at, lastAt: next.at))
        #expect(try Self.names(destination) == ["pillbox-audit-1-5.jsonl", "pillbox-audit-6-6.jsonl"])
        let header = try JSONDecoder().decode(AuditArchiveFile.Header.self,
                                             from: try Self.lines(destination.file("pillbox-audit-6-6.jsonl"))[0])
        #expect(header.prevHash == before[4].hash)
        try store.close()
        #expect(try Self.offlineProblems(directory) == [])
    }

    @Test("An entry recorded on or after the day ends the prefix, even when older entries follow it")
    func prefixEndsAtFirstLaterEntry() async throws {
        let directory = try TemporaryDirectory()
        let destination = try TemporaryDirectory()
        defer { directory.remove(); destination.remove() }
        let store = try Fixture.open(directory)
        var events = StoreAuditTests.events(5)
        events[2].at = Self.at(500)
        try await store.appendAudit(events)
        let outcome = try await store.archiveAudit(before: Self.at(100), into: destination.path, now: Self.at(600))
        #expect(outcome.range?.firstSeq == 1)
        #expect(outcome.range?.lastSeq == 2)
        #expect(try await store.auditEntries(since: nil, limit: 10).map(\.seq) == [3, 4, 5])
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 3, firstBrokenSeq: nil))
    }

    @Test("A dry run says the range and changes nothing")
    func dryRun() async throws {
        let (directory, destination, store, before) = try await Self.prepared(10)
        defer { directory.remove(); destination.remove() }
        let outcome = try await store.archiveAudit(before: Self.at(6.5), into: destination.path, dryRun: true)
        #expect(outcome == AuditArchiveOutcome(range: AuditArchiveRange(firstSeq: 1, lastSeq: 6, entries: 6, firstAt: before[0].at,
                                                                         lastAt: before[5].at), file: nil))
        #expect(try Self.names(destination) == [])
        #expect(try await store.auditEntries(since: nil, limit: 1000) == before)
    }

    @Test("Refusals change neither the store nor the folder: nothing to archive, a broken chain, a bad destination")
    func refusals() async throws {
        let (directory, destination, store, before) = try await Self.prepared(5)
        defer { directory.remove(); destination.remove() }
        let nothing = try await store.archiveAudit(before: Self.at(0.5), into: destination.path)
        #expect(nothing == AuditArchiveOutcome(range: nil, file: nil))

        var missing: AuditArchiveError?
        do { _ = try await store.archiveAudit(before: Self.at(100), into: destination.file("absent")) } catch let error as AuditArchiveError { missing = error }
        #expect(missing?.code == .destination)
        var inside: AuditArchiveError?
        do { _ = try await store.archiveAudit(before: Self.at(100), into: directory.path) } catch let error as AuditArchiveError { inside = error }
        #expect(inside?.code == .destination)
        #expect(inside?.message == "the destination \(directory.path) is inside the data folder; use another disk")
        #expect(try await store.auditEntries(since: nil, limit: 100) == before)

        try store.close()
        try Fixture.withDatabase(directory) { try $0.execute(sql: "UPDATE audit SET outcome = 403 WHERE seq = 3") }
        let reopened = try Fixture.open(directory)
        var broken: AuditArchiveError?
        do { _ = try await reopened.archiveAudit(before: Self.at(100), into: destination.path) } catch let error as AuditArchiveError { broken = error }
        #expect(broken == AuditArchiveError(.chainBroken, "audit entry 3 does not hold (entry 3 was expected next, linked to the one "
            + "before it): nothing was archived; `pillbox audit verify` says what is wrong"))
        #expect(try Self.names(destination) == [])
        #expect(try await reopened.auditEntries(since: nil, limit: 100).count == 5)
        // An entry broken after the day does not stop archiving what is before it.
        let outcome = try await reopened.archiveAudit(before: Self.at(2.5), into: destination.path)
        #expect(outcome.range?.lastSeq == 2)
    }

    @Test("A crash after the file is complete and before anything is removed: a second run succeeds, nothing lost or removed twice")
    func crashBeforeRemoval() async throws {
        let (directory, destination, store, before) = try await Self.prepared(10)
        defer { directory.remove(); destination.remove() }
        struct Crash: Error {}
        var stopped: AuditArchiveError?
        do {
            _ = try await store.archiveAudit(before: Self.at(6.5), into: destination.path, now: Self.at(100),
                                             beforeBatch: { _ in throw Crash() })
        } catch let error as AuditArchiveError { stopped = error }
        #expect(stopped?.code == .removal)
        #expect(stopped?.message.hasPrefix("\(destination.file("pillbox-audit-1-6.jsonl")) holds entries 1 to 6, but removing them "
            + "from the store stopped after 0 of 6") == true)
        #expect(try await store.auditEntries(since: nil, limit: 100) == before)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 10, firstBrokenSeq: nil))
        #expect(try Self.names(destination) == ["pillbox-audit-1-6.jsonl"])

        let again = try await store.archiveAudit(before: Self.at(6.5), into: destination.path, now: Self.at(200))
        #expect(again.range?.firstSeq == 1)
        #expect(again.range?.lastSeq == 6)
        // The first file is kept as it was; the second run's is beside it.
        #expect(again.file?.path == destination.file("pillbox-audit-1-6-2.jsonl"))
        #expect(try Self.names(destination) == ["pillbox-audit-1-6-2.jsonl", "pillbox-audit-1-6.jsonl"])
        #expect(try Self.lines(destination.file("pillbox-audit-1-6.jsonl")).dropFirst().dropLast()
                == Self.lines(destination.file("pillbox-audit-1-6-2.jsonl")).dropFirst().dropLast())
        #expect(try await store.auditEntries(since: nil, limit: 100) == Array(before.suffix(4)))
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 4, firstBrokenSeq: nil))
    }

    @Test("Removal stopped between two batches: the store is whole at the anchor, and the next run goes on from it")
    func stoppedBetweenBatches() async throws {
        let (directory, destination, store, before) = try await Self.prepared(10)
        defer { directory.remove(); destination.remove() }
        struct Crash: Error {}
        var stopped: AuditArchiveError?
        do {
            _ = try await store.archiveAudit(before: Self.at(6.5), into: destination.path, batchSize: 4,
                                             beforeBatch: { index in if index == 1 { throw Crash() } })
        } catch let error as AuditArchiveError { stopped = error }
        #expect(stopped?.message.contains("stopped after 4 of 6") == true)
        #expect(stopped?.message.hasSuffix("(it goes on from entry 5)") == true)
        #expect(try await store.auditEntries(since: nil, limit: 100) == Array(before.suffix(6)))
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 6, firstBrokenSeq: nil))

        let again = try await store.archiveAudit(before: Self.at(6.5), into: destination.path)
        #expect(again.range == AuditArchiveRange(firstSeq: 5, lastSeq: 6, entries: 2, firstAt: before[4].at, lastAt: before[5].at))
        #expect(try Self.names(destination) == ["pillbox-audit-1-6.jsonl", "pillbox-audit-5-6.jsonl"])
        #expect(try await store.auditEntries(since: nil, limit: 100) == Array(before.suffix(4)))
        try store.close()
        #expect(try Self.offlineProblems(directory) == [])
    }

    /// Archives entries 1 to 6 of 10 and closes the store.
    static func archivedAndClosed() async throws -> (TemporaryDirectory, [AuditEntry]) {
        let (directory, destination, store, before) = try await prepared(10)
        defer { destination.remove() }
        _ = try await store.archiveAudit(before: at(6.5), into: destination.path)
        try store.close()
        return (directory, before)
    }

    @Test("After an archive, entries deleted by hand at the start of what remains are still reported")
    func handDeletedPrefixAfterArchive() async throws {
        let (directory, _) = try await Self.archivedAndClosed()
        defer { directory.remove() }
        try Fixture.withDatabase(directory) { try $0.execute(sql: "DELETE FROM audit WHERE seq <= 8") }
        #expect(try await StoreAuditTests.verify(directory) == AuditVerification(entries: 1, firstBrokenSeq: 9))
        #expect(try Self.offlineProblems(directory) == [VerifyProblem(.auditChain, auditSeq: 9,
            "audit entry 9 comes where entry 7 should: entries were removed or reordered")])
    }

    @Test("An anchor moved by hand (no key to re-make its MAC) is reported by both checks")
    func editedAnchor() async throws {
        let (directory, before) = try await Self.archivedAndClosed()
        defer { directory.remove() }
        try Fixture.withDatabase(directory) { db in
            try db.execute(sql: "DELETE FROM audit WHERE seq <= 8")
            try db.execute(sql: "UPDATE audit_anchor SET seq = 8, hash = ?", arguments: [Data(Hex.decode(before[7].hash)!)])
        }
        #expect(try await StoreAuditTests.verify(directory) == AuditVerification(entries: 0, firstBrokenSeq: 8))
        #expect(try Self.offlineProblems(directory) == [VerifyProblem(.auditChain, auditSeq: 8,
            "the audit anchor (entries up to 8 archived) does not match its MAC: it was edited, so the start of the trail "
            + "cannot be trusted; restore the data folder from a backup")])
    }

    @Test("An anchor deleted by hand: the remaining entries no longer start the chain")
    func deletedAnchor() async throws {
        let (directory, _) = try await Self.archivedAndClosed()
        defer { directory.remove() }
        try Fixture.withDatabase(directory) { try $0.execute(sql: "DELETE FROM audit_anchor") }
        #expect(try await StoreAuditTests.verify(directory) == AuditVerification(entries: 1, firstBrokenSeq: 7))
        #expect(try Self.offlineProblems(directory).map(\.auditSeq) == [7])
    }

    @Test("A backup taken after an archive holds the anchor and verifies")
    func backupAfterArchive() async throws {
        let (directory, destination, store, _) = try await Self.prepared(10)
        let backups = try TemporaryDirectory()
        defer { directory.remove(); destination.remove(); backups.remove() }
        _ = try await store.archiveAudit(before: Self.at(6.5), into: destination.path)
        let backup = try await store.backup(into: backups.path, masterKey: Fixture.masterKey, pillboxVersion: "t")
        try store.close()
        let copy = try ReadOnlyStore(path: (backup.path as NSString).appendingPathComponent(BackupManifest.databaseName),
                                     masterKey: Fixture.masterKey)
        defer { copy.close() }
        let verification = try copy.verify()
        #expect(verification.problems == [])
        #expect(verification.checked.auditEntries == 4)
    }

    @Test("Reading the file back catches a changed byte and a cut file, naming the line")
    func readBackCheck() async throws {
        let (directory, destination, store, _) = try await Self.prepared(4)
        defer { directory.remove(); destination.remove() }
        let file = try #require(try await store.archiveAudit(before: Self.at(100), into: destination.path).file)
        let key = store.keys.auditMAC
        let original = try Self.lines(file.path)
        var lines = original
        #expect(try AuditArchiveFile.check(path: file.path, key: key).trailer.entries == 4)

        let text = String(decoding: lines[2], as: UTF8.self).replacingOccurrences(of: "\"outcome\":200", with: "\"outcome\":201")
        lines[2] = Data(text.utf8)
        try Data(lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")]).write(to: URL(fileURLWithPath: file.path))
        #expect(throws: AuditArchiveError(.io, "\(file.path) did not read back as written (line 3: entry 2 does not hold); nothing "
            + "was removed from the store: check the destination's disk and try again")) {
            try AuditArchiveFile.check(path: file.path, key: key)
        }
        try Data(original.dropLast().joined(separator: [UInt8(ascii: "\n")])).write(to: URL(fileURLWithPath: file.path))
        #expect(throws: AuditArchiveError(.io, "\(file.path) did not read back as written (line 5: the file ends without its "
            + "trailer); nothing was removed from the store: check the destination's disk and try again")) {
            try AuditArchiveFile.check(path: file.path, key: key)
        }
    }

    @Test("Each way a file can be wrong is named with its line: header, a line that is no entry, a trailer that does not match, a line after it")
    func inspectDefects() async throws {
        let (directory, destination, store, _) = try await Self.prepared(4)
        defer { directory.remove(); destination.remove() }
        let file = try #require(try await store.archiveAudit(before: Self.at(100), into: destination.path).file)
        let key = store.keys.auditMAC
        let original = try Self.lines(file.path)
        #expect(original.count == 6)
        func inspect(_ lines: [Data]) throws -> AuditArchiveFile.Inspection {
            try Data(lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")]).write(to: URL(fileURLWithPath: file.path))
            return try AuditArchiveFile.inspect(path: file.path, key: key)
        }
        let junk = Data("{\"seq\": 3}".utf8)
        #expect(try inspect(original).isHolding)
        #expect(try inspect([junk] + original.dropFirst()) == .defect(line: 1, what: "not an archive header"))
        #expect(try inspect(Array(original[0...2]) + [junk] + original[3...]) == .defect(line: 4, what: "not an audit entry"))
        #expect(try inspect(Array(original[0...3]) + [original[5]]) == .defect(line: 5, what: "the trailer does not match the entries before it"))
        #expect(try inspect(original + [original[5]]) == .defect(line: 7, what: "a line after the trailer"))
        #expect(try inspect(Array(original[0...1]) + original[3...]) == .defect(line: 3, what: "entry 3 does not hold"))
    }

    @Test("Entries appended while an archive runs (the audit flusher's case) are kept and linked; file and store cover every entry once")
    func appendsDuringArchive() async throws {
        let (directory, destination, store, _) = try await Self.prepared(300)
        defer { directory.remove(); destination.remove() }
        let appending = Task {
            for n in 0..<100 {
                try await store.appendAudit([AuditEvent(at: Self.at(1000 + Double(n)), uid: 7, pid: 7, role: "reader", action: "GET /v1/health",
                                                        outcome: 200)])
            }
        }
        let outcome = try await store.archiveAudit(before: Self.at(500), into: destination.path, batchSize: 7)
        try await appending.value
        #expect(outcome.range?.firstSeq == 1)
        #expect(outcome.range?.lastSeq == 300)
        let remaining = try await store.auditEntries(since: nil, limit: 1000)
        #expect(remaining.map(\.seq) == Array(301...400))
        let archived = try Self.lines(try #require(outcome.file?.path)).dropFirst().dropLast()
        #expect(archived.count == 300)
        let last = try JSONDecoder().decode(AuditEntry.self, from: try #require(archived.last))
        #expect(remaining.first?.prevHash == last.hash)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 100, firstBrokenSeq: nil))
    }

    @Test("An archive file already there under the same name (another timeline: a restore, another box) is kept, byte for byte")
    func existingFileKept() async throws {
        let (directory, destination, store, _) = try await Self.prepared(6)
        defer { directory.remove(); destination.remove() }
        let other = Data("an earlier archive of entries 1 to 6\n".utf8)
        try other.write(to: URL(fileURLWithPath: destination.file("pillbox-audit-1-6.jsonl")))
        let outcome = try await store.archiveAudit(before: Self.at(100), into: destination.path)
        #expect(outcome.file?.path == destination.file("pillbox-audit-1-6-2.jsonl"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: destination.file("pillbox-audit-1-6.jsonl"))) == other)
        #expect(try Self.lines(destination.file("pillbox-audit-1-6-2.jsonl")).count == 8)
    }

    @Test("The anchor's MAC is taken over fixed bytes: prefix, seq in decimal, a colon, the hash")
    func anchorMessage() {
        #expect(AuditAnchor.message(seq: 42, hash: [1, 2, 255]) == Array("pillbox-audit-anchor-v1:42:".utf8) + [1, 2, 255])
    }

    @Test("One archive at a time")
    func gate() {
        let gate = ArchiveGate()
        #expect(gate.enter())
        #expect(!gate.enter())
        gate.leave()
        #expect(gate.enter())
    }
}

/// The complaint the archive answers: a program looped on the socket until the data folder's
/// disk was full, and the box refuses dispenses. On a real full disk (a tmpfs).
@Suite("Audit archive on a full disk", .serialized)
struct StoreAuditArchiveFullDiskTests {
    @Test("A disk filled by audit entries: dispenses refused as disk-full; the archive refused at once saying how much to free; once freed, it archives and dispenses are recorded again")
    func archiveFreesAFullDisk() async throws {
        let site = try TemporaryDirectory()
        let destination = try TemporaryDirectory()
        defer { destination.remove(); site.remove() }
        try #require(try await StoreRestoreSpaceTests.mountTmpfs(site.path, size: "\(8 << 20)"))
        do {
            try await fillArchiveAndRecord(site: site, destination: destination)
        } catch {
            await StoreRestoreSpaceTests.unmount(site.path)
            throw error
        }
        await StoreRestoreSpaceTests.unmount(site.path)
    }

    func fillArchiveAndRecord(site: TemporaryDirectory, destination: TemporaryDirectory) async throws {
        // What the technician will free (old logs, an old backup kept on that disk).
        #expect(FileManager.default.createFile(atPath: site.file("old-logs"), contents: Data(count: 6 << 20)))
        let store = try Fixture.open(site)
        let old = Fixture.now.addingTimeInterval(-86_400)
        var appended = 0
        filling: while true {
            do {
                try await store.appendAudit((0..<500).map { n in
                    AuditEvent(at: old.addingTimeInterval(Double(appended + n) / 1000), uid: 65534, pid: 9, role: "none",
                               action: "GET /v1/nothing-here", outcome: 404)
                })
                appended += 500
            } catch let error as StoreError where error.code == .diskFull {
                break filling
            }
        }
        var refused: StoreError?
        do { _ = try await Fixture.create(store, Fixture.dispense(id: "FULL-1")) } catch let error as StoreError { refused = error }
        #expect(refused?.code == .diskFull)

        var noRoom: AuditArchiveError?
        do {
            _ = try await store.archiveAudit(before: Fixture.now, into: destination.path, now: Fixture.now)
        } catch let error as AuditArchiveError { noRoom = error }
        let needed = store.roomNeeded()
        #expect(needed > 1 << 20)
        #expect(noRoom?.code == .noRoom)
        #expect(noRoom?.message.hasSuffix("removing audit entries needs about \(Store.mib(needed)) free on the data folder's disk "
            + "(for the store's write-ahead log): free that much there (journalctl --vacuum-size=50M, an older backup kept on that disk), "
            + "then run the archive again; nothing was written or removed") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path) == [])
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: appended, firstBrokenSeq: nil))

        try FileManager.default.removeItem(atPath: site.file("old-logs"))
        let outcome = try await store.archiveAudit(before: Fixture.now, into: destination.path, now: Fixture.now)
        #expect(outcome.range?.entries == appended)
        #expect(try await store.auditEntries(since: nil, limit: 10) == [])
        // The freed pages take new rows: dispenses are recorded again.
        for n in 1...20 { _ = try await Fixture.create(store, Fixture.dispense(id: "AFTER-\(n)")) }
        #expect(try await store.statistics().recordCount == 20)
        #expect(try await store.verifyAudit().problems == [])
        print("full-disk archive: \(appended) entries filled an 8 MiB tmpfs; the archive needed \(Store.mib(needed)); "
            + "archived into \(outcome.file?.bytes ?? 0) bytes; 20 dispenses recorded after")
        try store.close()
    }
}

extension AuditArchiveFile.Inspection {
    var isHolding: Bool { if case .holds = self { true } else { false } }
}
