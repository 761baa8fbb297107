import Foundation
import GRDB
import PillboxCrypto
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Audit trail")
struct StoreAuditTests {
    static func events(_ count: Int) -> [AuditEvent] {
        (1...count).map { index in
            AuditEvent(at: Fixture.now.addingTimeInterval(Double(index)), uid: 1000 + UInt32(index), pid: Int32(index),
                       role: "reader", action: "dispense.read", dispenseID: "d-\(index)", outcome: 200)
        }
    }

    /// A store holding five audit entries, closed, in a fresh folder.
    static func closedStoreWithFiveEntries() async throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory)
        for event in events(5) { try await store.appendAudit([event]) }
        try store.close()
        return directory
    }

    static func verify(_ directory: TemporaryDirectory) async throws -> AuditVerification {
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        return try await store.verifyAuditChain()
    }

    @Test("Five appended events make an intact chain of five linked entries")
    func intactChain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 0, firstBrokenSeq: nil))
        try await store.appendAudit(Array(Self.events(5).prefix(2)))
        try await store.appendAudit(Array(Self.events(5).suffix(3)))

        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 5, firstBrokenSeq: nil))
        let entries = try await store.auditEntries(since: nil, limit: 100)
        #expect(entries.map(\.seq) == [1, 2, 3, 4, 5])
        let first = try #require(entries.first)
        #expect(first.at == Fixture.now.timeIntervalSince1970 + 1)
        #expect(first.uid == 1001)
        #expect(first.pid == 1)
        #expect(first.role == "reader")
        #expect(first.action == "dispense.read")
        #expect(first.dispenseID == "d-1")
        #expect(first.outcome == 200)
        #expect(first.patientRef == nil)
        #expect(first.prevHash == String(repeating: "0", count: 64))
        #expect(first.hash.count == 64)
        #expect(zip(entries.dropFirst(), entries).allSatisfy { $0.prevHash == $1.hash })
        #expect(Set(entries.map(\.hash)).count == 5)
    }

    @Test("auditEntries honours since (inclusive) and limit")
    func auditEntriesFilters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        try await store.appendAudit(Self.events(5))
        #expect(try await store.auditEntries(since: Fixture.now.addingTimeInterval(3), limit: 100).map(\.seq) == [3, 4, 5])
        #expect(try await store.auditEntries(since: nil, limit: 2).map(\.seq) == [1, 2])
        #expect(try await store.auditEntries(since: Fixture.now.addingTimeInterval(3), limit: 1).map(\.seq) == [3])
    }

    @Test("Editing one entry's outcome breaks the chain at that entry")
    func editedEntryBreaksChain() async throws {
        let directory = try await Self.closedStoreWithFiveEntries()
        defer { directory.remove() }
        try Fixture.withDatabase(directory) { try $0.execute(sql: "UPDATE audit SET outcome = 403 WHERE seq = 3") }
        #expect(try await Self.verify(directory) == AuditVerification(entries: 3, firstBrokenSeq: 3))
    }

    @Test("Deleting entry 3 breaks the chain at entry 4")
    func deletedEntryBreaksChain() async throws {
        let directory = try await Self.closedStoreWithFiveEntries()
        defer { directory.remove() }
        try Fixture.withDatabase(directory) { try $0.execute(sql: "DELETE FROM audit WHERE seq = 3") }
        #expect(try await Self.verify(directory) == AuditVerification(entries: 3, firstBrokenSeq: 4))
    }

    @Test("Swapping the sequence numbers of two entries breaks the chain at the first of them")
    func reorderedEntriesBreakChain() async throws {
        let directory = try await Self.closedStoreWithFiveEntries()
        defer { directory.remove() }
        try Fixture.withDatabase(directory) { db in
            try db.execute(sql: "UPDATE audit SET seq = -1 WHERE seq = 2")
            try db.execute(sql: "UPDATE audit SET seq = 2 WHERE seq = 4")
            try db.execute(sql: "UPDATE audit SET seq = 4 WHERE seq = -1")
        }
        #expect(try await Self.verify(directory) == AuditVerification(entries: 2, firstBrokenSeq: 2))
    }

    /// Sets entry 3's outcome to 403 and re-chains entries 3 onwards under `key`, starting
    /// from entry 2's real hash, as someone able to write the file would.
    static func editAndRechain(_ directory: TemporaryDirectory, key: KeyedHMACSHA256) throws {
        try Fixture.withDatabase(directory) { db in
            try db.execute(sql: "UPDATE audit SET outcome = 403 WHERE seq = 3")
            // Keep entries 1 and 2 as they are and re-chain 3 onwards from entry 2's real hash.
            var previous = Array(try #require(try Data.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = 2")))
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE seq >= 3 ORDER BY seq") {
                let hash = AuditChain.hash(prev: previous, seq: row["seq"], at: row["at"], uid: UInt32(row["uid"] as Int64),
                                           pid: Int32(row["pid"] as Int64), role: row["role"], action: row["action"],
                                           dispenseID: row["dispense_id"], outcome: row["outcome"], patientRef: row["patient_ref"],
                                           key: key)
                try db.execute(sql: "UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?",
                               arguments: [Data(previous), Data(hash), row["seq"] as Int64])
                previous = hash
            }
        }
    }

    @Test("An entry edited with its hashes recomputed without the audit key is still detected")
    func recomputedChainIsDetected() async throws {
        let directory = try await Self.closedStoreWithFiveEntries()
        defer { directory.remove() }
        try Self.editAndRechain(directory, key: KeyedHMACSHA256(key: SecretKey.random().bytes))  // whoever edits the file lacks the audit key
        #expect(try await Self.verify(directory) == AuditVerification(entries: 3, firstBrokenSeq: 3))
    }

    @Test("Re-chaining with the store's own audit key passes, so only the key stops the forgery")
    func rechainingWithTheAuditKeyPasses() async throws {
        let directory = try await Self.closedStoreWithFiveEntries()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let auditKey = store.keys.auditMAC
        try store.close()
        try Self.editAndRechain(directory, key: auditKey)
        #expect(try await Self.verify(directory) == AuditVerification(entries: 5, firstBrokenSeq: nil))
        let reopened = try Fixture.open(directory)
        defer { try? reopened.close() }
        #expect(try await reopened.auditEntries(since: nil, limit: 10).map(\.outcome) == [200, 200, 403, 200, 200])
    }

    @Test("A patient appears in the audit table only as a 32-hex-digit keyed reference, the same for the same NAM")
    func patientReferenceHidesNAM() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let nam = "ZQXW98765432"
        func event(_ nam: String?) -> AuditEvent {
            AuditEvent(at: Fixture.now, uid: 1, pid: 1, role: "reader", action: "profile.read", outcome: 200, patientNAM: nam)
        }
        try await store.appendAudit([event(nam), event("TREM50020312"), event(nam), event(nil)])
        try store.close()
        let reopened = try Fixture.open(directory)
        try await reopened.appendAudit([event(nam)])

        let refs = try await reopened.auditEntries(since: nil, limit: 10).map(\.patientRef)
        try reopened.close()
        let ref = try #require(refs[0])
        #expect(ref.count == 32)
        #expect(ref.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(ref != nam)
        #expect(refs == [ref, refs[1], ref, nil, ref])
        #expect(refs[1] != ref)
        #expect(refs[1]?.count == 32)
        let rawColumns = try Fixture.withDatabase(directory) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit").flatMap { row in
                row.databaseValues.compactMap { value -> String? in
                    switch value.storage {
                    case .string(let text): text
                    case .blob(let data): String(decoding: data, as: UTF8.self)
                    default: nil
                    }
                }
            }
        }
        #expect(!rawColumns.contains { $0.contains(nam) || $0.contains("TREM50020312") })
    }

    @Test("The audit log buffers events until flushed, then appends them in order")
    func auditLogBuffers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let log = AuditLog(store: store)
        for event in Self.events(3) { log.record(event) }

        #expect(log.pendingCount == 3)
        #expect(try await store.auditEntries(since: nil, limit: 10) == [])

        try await log.flush()

        #expect(log.pendingCount == 0)
        let entries = try await store.auditEntries(since: nil, limit: 10)
        #expect(entries.map(\.seq) == [1, 2, 3])
        #expect(entries.map(\.dispenseID) == ["d-1", "d-2", "d-3"])
        try await log.flush()
        #expect(try await store.auditEntries(since: nil, limit: 10).count == 3)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 3, firstBrokenSeq: nil))
    }

    @Test("A flush returns only once every entry queued before it is in the store, even those another flush was appending")
    func flushWaitsForTheFlushInFlight() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let log = AuditLog(store: store)
        var expected = 0
        for _ in 0..<20 {
            for event in Self.events(5) { log.record(event) }
            expected += 5
            // The flush service's flush takes the batch; the reader's flush runs meanwhile.
            let service = Task { try await log.flush() }
            await Task.yield()
            try await log.flush()
            #expect(try await store.auditEntries(since: nil, limit: 1_000).count == expected)
            try await service.value
        }
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 100, firstBrokenSeq: nil))
    }

    @Test("A failed flush keeps the events queued")
    func failedFlushRequeues() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let log = AuditLog(store: store)
        for event in Self.events(3) { log.record(event) }
        try store.close()

        await #expect(throws: StoreError.self) { try await log.flush() }

        #expect(log.pendingCount == 3)
    }
}
