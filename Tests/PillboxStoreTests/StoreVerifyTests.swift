import Foundation
import GRDB
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

/// `pillbox verify`'s checks against a real store on disk, edited the way someone with the
/// files but not the key would: each tamper must be reported exactly, by id or sequence.
@Suite("Store verification")
struct StoreVerifyTests {
    /// Dispenses A (corrected: versions 1 and 2), B (another patient) and C: 3 dispenses,
    /// 4 versions, 4 outbox rows, 4 audit entries.
    struct Sample: Sendable {
        let a: String
        let b: String
        let c: String
    }

    static let cleanCounts = VerifyCounts(dispenses: 3, versions: 4, outboxEntries: 4, centralProfiles: 0, auditEntries: 4)

    static func prepare(_ directory: TemporaryDirectory) async throws -> Sample {
        let store = try Fixture.open(directory)
        let a = try await Fixture.create(store, try Fixture.dispense(id: "A"))
        _ = try await store.correctDispense(id: a.id, correction: try Fixture.correction(Samples.dispense(id: "A", lot: "L2"), reason: "r"),
                                            now: Fixture.now, audit: Fixture.changeAudit)
        let b = try await Fixture.create(store, try Fixture.dispense(id: "B", nam: "ROYP40010199"))
        let c = try await Fixture.create(store, try Fixture.dispense(id: "C", din: "00559407", lot: nil))
        try store.close()
        return Sample(a: a.id, b: b.id, c: c.id)
    }

    /// Prepares the sample, applies `edit` with a separate connection, and verifies offline
    /// (read-only, as `pillbox verify --data-dir` does).
    static func verified(_ edit: (Database, Sample) throws -> Void) async throws -> (StoreVerification, Sample) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sample = try await prepare(directory)
        try Fixture.withDatabase(directory) { db in try edit(db, sample) }
        let store = try ReadOnlyStore(path: Fixture.databasePath(directory), masterKey: Fixture.masterKey)
        defer { store.close() }
        return (try store.verify(), sample)
    }

    static func unreadable(_ id: String, version: Int) -> VerifyProblem {
        VerifyProblem(.unreadableVersion, recordId: id, version: version,
                      "dispense \(id) version \(version) failed authentication; the row was altered or moved")
    }

    @Test("A clean store reports nothing and counts every row it checked")
    func cleanStore() async throws {
        let (result, _) = try await Self.verified { _, _ in }
        #expect(result == StoreVerification(problems: [], checked: Self.cleanCounts))
    }

    @Test("The daemon's store verifies on a read snapshot, and logs its start (rows to check) and its end")
    func onlineVerify() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.prepare(directory)
        let capture = LogCapture()
        let store = try Fixture.open(directory, logger: capture.logger)
        defer { try? store.close() }
        let result = try await store.verify()
        #expect(result == StoreVerification(problems: [], checked: Self.cleanCounts))
        let lines = capture.records.filter { $0.message.hasPrefix("Store verification") }
        #expect(lines.map(\.message) == ["Store verification: started (SQLite's integrity check first, then each row)",
                                         "Store verification: finished"])
        #expect(lines.first?.metadata == ["verify.scope": "all", "verify.rows": "15"])
        #expect(lines.last?.metadata["verify.problems"] == "0")
        #expect(lines.last.flatMap { Double($0.metadata["verify.seconds"] ?? "") } != nil)
    }

    @Test("A flipped byte in one version's ciphertext is reported by that record id and version")
    func flippedByte() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ? AND version = 2",
                                                         arguments: [sample.a]))
            payload[payload.count / 2] ^= 0x01
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ? AND version = 2", arguments: [payload, sample.a])
        }
        #expect(result.problems == [Self.unreadable(sample.a, version: 2)])
        #expect(result.checked == Self.cleanCounts)
    }

    @Test("Two versions' ciphertexts swapped are both reported, by id")
    func swappedCiphertexts() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            let payloadA = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ? AND version = 1", arguments: [sample.a]))
            let payloadB = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [sample.b]))
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ? AND version = 1", arguments: [payloadB, sample.a])
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payloadA, sample.b])
        }
        // Versions are checked in the table's order (by patient index, then id): compare sorted by id.
        let expected = [(sample.a, 1), (sample.b, 1)].sorted { $0.0 < $1.0 }.map { Self.unreadable($0.0, version: $0.1) }
        #expect(result.problems.sorted { ($0.recordId ?? "") < ($1.recordId ?? "") } == expected)
    }

    @Test("An edited audit entry is reported by its sequence number, alone")
    func editedAuditEntry() async throws {
        let (result, _) = try await Self.verified { db, _ in
            try db.execute(sql: "UPDATE audit SET outcome = 200 WHERE seq = 2")
        }
        #expect(result.problems == [VerifyProblem(.auditChain, auditSeq: 2, "audit entry 2 does not match its hash: it was edited")])
    }

    @Test("A removed audit entry is reported at the gap")
    func removedAuditEntry() async throws {
        let (result, _) = try await Self.verified { db, _ in
            try db.execute(sql: "DELETE FROM audit WHERE seq = 3")
        }
        #expect(result.problems == [VerifyProblem(.auditChain, auditSeq: 4,
            "audit entry 4 comes where entry 3 should: entries were removed or reordered")])
        #expect(result.checked.auditEntries == 3)
    }

    @Test("An outbox row that refers to no version is reported with its entry number and record id")
    func danglingOutboxRow() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            try db.execute(sql: """
                INSERT INTO outbox (dispense_id, version, state, attempts, created_at, next_attempt_at)
                VALUES (?, 7, 'pending', 0, 0, 0)
                """, arguments: [sample.c])
        }
        #expect(result.problems == [VerifyProblem(.outbox, recordId: sample.c, version: 7, outboxSeq: 5,
            "outbox entry #5 refers to version 7 of dispense \(sample.c), which does not exist")])
    }

    @Test("A version without its outbox row is reported")
    func missingOutboxRow() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            try db.execute(sql: "DELETE FROM outbox WHERE dispense_id = ?", arguments: [sample.b])
        }
        #expect(result.problems == [VerifyProblem(.missingOutbox, recordId: sample.b, version: 1,
            "version 1 of dispense \(sample.b) has no outbox entry")])
    }

    @Test("A current_version pointing nowhere is reported by record id")
    func currentVersionPointingNowhere() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            try db.execute(sql: "UPDATE dispense SET current_version = 9 WHERE id = ?", arguments: [sample.b])
        }
        #expect(result.problems == [VerifyProblem(.currentVersion, recordId: sample.b, version: 9,
            "dispense \(sample.b) points at version 9, which does not exist")])
    }

    @Test("A current_version pointed back at an older version is reported")
    func currentVersionPointedBack() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            try db.execute(sql: "UPDATE dispense SET current_version = 1 WHERE id = ?", arguments: [sample.a])
        }
        // Version 1 is then checked against the row too: its lot differs from version 2's.
        #expect(result.problems == [
            VerifyProblem(.blindIndex, recordId: sample.a, version: 1, "dispense \(sample.a): its lot index does not match version 1"),
            VerifyProblem(.currentVersion, recordId: sample.a, version: 1, "dispense \(sample.a) points at version 1, not its newest (2)"),
        ])
    }

    @Test("A store summary edited outside Pillbox is reported with both counts, and records are not")
    func storeSummaryEdited() async throws {
        let (result, _) = try await Self.verified { db, _ in
            try db.execute(sql: "UPDATE store_summary SET dispenses = 7, newest_recorded_at = 0 WHERE id = 1")
        }
        #expect(result.problems == [
            VerifyProblem(.storeSummary, "the store summary counts 7 dispenses; the table holds 3"),
            VerifyProblem(.storeSummary, "the store summary's newest recording time is 1970-01-01T00:00:00.000Z; "
                + "the newest version's is 2026-12-01T12:00:00.000Z"),
        ])
        #expect(result.checked == Self.cleanCounts)
    }

    @Test("Upload counts in the store summary edited outside Pillbox are reported with both counts")
    func storeSummaryOutboxEdited() async throws {
        let (result, _) = try await Self.verified { db, _ in
            try db.execute(sql: "UPDATE store_summary SET pending = 99, failed = 5 WHERE id = 1")
        }
        #expect(result.problems == [
            VerifyProblem(.storeSummary, "the store summary counts 99 pending uploads; the outbox holds 4"),
            VerifyProblem(.storeSummary, "the store summary counts 5 failed uploads; the outbox holds 0"),
        ])
        #expect(result.checked == Self.cleanCounts)
    }

    @Test("A dropped summary trigger and a deleted summary row are reported")
    func storeSummaryTriggerDropped() async throws {
        let (result, _) = try await Self.verified { db, _ in
            try db.execute(sql: "DROP TRIGGER store_summary_dispense_removed; DELETE FROM store_summary")
        }
        #expect(result.problems == [
            VerifyProblem(.storeSummary, "the trigger store_summary_dispense_removed that keeps the store summary is missing"),
            VerifyProblem(.storeSummary, "the store summary's row is missing"),
        ])
    }

    @Test("A blind index that does not match the decrypted content is reported by record id and field")
    func blindIndexMismatch() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            // B's patient index put on A, its versions moved with it: A would show in B's patient's profile.
            for table in ["dispense", "dispense_version"] {
                try db.execute(sql: """
                    UPDATE \(table) SET patient_index = (SELECT patient_index FROM dispense WHERE id = ?1)
                     WHERE \(table == "dispense" ? "id" : "dispense_id") = ?2
                    """, arguments: [sample.b, sample.a])
            }
            try db.execute(sql: "UPDATE dispense SET din_index = NULL WHERE id = ?", arguments: [sample.c])
        }
        #expect(Set(result.problems.map(\.message)) == [
            "dispense \(sample.a): its NAM index does not match version 2",
            "dispense \(sample.c): its DIN index does not match version 1",
        ])
        #expect(result.problems.map(\.kind) == [.blindIndex, .blindIndex])
    }

    @Test("A version filed under another patient than its dispense row is reported, and so is what its dispense then misses")
    func versionFiledUnderAnotherPatient() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            try db.execute(sql: """
                UPDATE dispense_version SET patient_index = (SELECT patient_index FROM dispense WHERE id = ?1)
                 WHERE dispense_id = ?2 AND version = 1
                """, arguments: [sample.b, sample.a])
        }
        #expect(result.problems == [
            VerifyProblem(.orphanVersion, recordId: sample.a, version: 1,
                          "version 1 of dispense \(sample.a) is filed under another patient than its dispense row"),
            VerifyProblem(.currentVersion, recordId: sample.a,
                          "dispense \(sample.a) has 1 version(s), not numbered 1 to 2 without gaps"),
            VerifyProblem(.outbox, recordId: sample.a, version: 1, outboxSeq: 1,
                          "outbox entry #1 refers to version 1 of dispense \(sample.a), which does not exist"),
        ])
    }

    @Test("A dispense row whose status was edited is reported")
    func statusColumnEdited() async throws {
        let (result, sample) = try await Self.verified { db, sample in
            try db.execute(sql: "UPDATE dispense SET status = 'entered-in-error' WHERE id = ?", arguments: [sample.c])
        }
        #expect(result.problems == [VerifyProblem(.dispenseRow, recordId: sample.c, version: 1,
            "dispense \(sample.c): its status column does not match version 1")])
    }

    @Test("A damaged page of the versions table is reported as SQLite problems, and the other tables are still checked")
    func damagedPage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.prepare(directory)
        try Fixture.damageRootPage(directory, of: "dispense_version")
        let store = try ReadOnlyStore(path: Fixture.databasePath(directory), masterKey: Fixture.masterKey)
        defer { store.close() }
        let result = try store.verify()
        #expect(result.problems.allSatisfy { $0.kind == .sqlite })
        let stopped = "(code 11): the database file is damaged; what lies after the damage was not checked"
        #expect(result.problems.map(\.message) == [
            "SQLite could not finish its integrity_check " + stopped,
            "SQLite could not finish reading table dispense_version " + stopped,
            "SQLite could not finish reading table dispense " + stopped,
            "SQLite could not finish counting for the store summary " + stopped,
            "SQLite could not finish reading table outbox " + stopped,
        ])
        #expect(result.checked.auditEntries == 4)
    }

    @Test("The audit-only check reports the edited entry and counts only audit entries")
    func auditOnly() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.prepare(directory)
        try Fixture.withDatabase(directory) { db in try db.execute(sql: "UPDATE audit SET uid = 0 WHERE seq = 4") }
        let store = try ReadOnlyStore(path: Fixture.databasePath(directory), masterKey: Fixture.masterKey)
        defer { store.close() }
        #expect(try store.verifyAudit() == StoreVerification(
            problems: [VerifyProblem(.auditChain, auditSeq: 4, "audit entry 4 does not match its hash: it was edited")],
            checked: VerifyCounts(auditEntries: 4)))
    }

    @Test("A wrong master key is refused before anything is checked")
    func wrongKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.prepare(directory)
        let error = #expect(throws: StoreError.self) {
            _ = try ReadOnlyStore(path: Fixture.databasePath(directory), masterKey: .random())
        }
        #expect(error?.code == .wrongKey)
    }
}
