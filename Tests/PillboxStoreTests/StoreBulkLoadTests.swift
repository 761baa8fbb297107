import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// `bulkRecordDispenses` (the bench's seeding) must leave exactly what `recordDispense` leaves.
/// Two stores with the same keys (one empty data folder, copied before either writes a record):
/// one fed through `recordDispense`, one through `bulkRecordDispenses`, compared row by row.
@Suite("Bulk load for the bench, against normal intake")
struct StoreBulkLoadTests {
    static let marie = "TREM50020312"
    static let paul = "ROYP40010199"

    /// Two stores that share their keys: the same empty data folder, copied.
    static func twins(_ directory: TemporaryDirectory) throws -> (normal: Store, bulk: Store) {
        let normalPath = directory.file("normal.db")
        let bulkPath = directory.file("bulk.db")
        try Store.open(path: normalPath, masterKey: Fixture.masterKey, logger: Fixture.logger, now: Fixture.now).close()
        try FileManager.default.copyItem(atPath: normalPath, toPath: bulkPath)
        return (try Store.open(path: normalPath, masterKey: Fixture.masterKey, logger: Fixture.logger, now: Fixture.now),
                try Store.open(path: bulkPath, masterKey: Fixture.masterKey, logger: Fixture.logger, now: Fixture.now))
    }

    /// The audit of a `POST /v1/dispenses` as the route leaves it before recording.
    static func audit(_ dispense: Dispense) -> RequestAudit {
        let audit = Fixture.intakeAudit
        audit.concerns(patient: dispense.patient.nam)
        return audit
    }

    static func sample() throws -> [Dispense] {
        [
            try Fixture.dispense(id: "A", handedOver: "2026-03-01T09:00:00-05:00"),
            try Fixture.dispense(id: "B", din: "00000019", lot: nil, handedOver: "2026-11-20T10:00:00.125Z", note: "with a note"),
            try Fixture.dispense(id: "C", nam: paul, lot: "ab-123", handedOver: "2026-06-15T12:00:00Z"),
            try Fixture.dispense(id: "D", handedOver: "2026-06-15T12:00:00Z", familyName: "Côté"),
        ]
    }

    /// Every row the intake writes, with each record id replaced by its dispense's blind index
    /// (ids are random), in a fixed order: dispense, versions, outbox, audit (hashes aside: they
    /// cover the random ids; each chain is verified on its own).
    static func rows(_ store: Store) async throws -> [[DatabaseValue]] {
        try await store.pool.read { db in
            let queries = [
                "SELECT dispense_id_index, current_version, status, patient_index, din_index, lot_index, dispensed_at, created_at FROM dispense ORDER BY dispense_id_index",
                "SELECT d.dispense_id_index, v.version, v.status, v.recorded_at, v.key_id, LENGTH(v.payload) FROM dispense_version v JOIN dispense d ON d.id = v.dispense_id ORDER BY d.dispense_id_index, v.version",
                "SELECT o.seq, d.dispense_id_index, o.version, o.state, o.attempts, o.created_at, o.next_attempt_at, o.last_error, o.error_payload, o.sent_at FROM outbox o JOIN dispense d ON d.id = o.dispense_id ORDER BY o.seq",
                "SELECT a.seq, a.at, a.uid, a.pid, a.role, a.action, a.outcome, a.patient_ref, (SELECT dispense_id_index FROM dispense WHERE id = a.dispense_id) FROM audit a ORDER BY a.seq",
            ]
            return try queries.flatMap { sql in try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) } + [[.null]] }
        }
    }

    /// `dispenses` through `recordDispense`, one request (one transaction) each.
    static func recordOneByOne(_ store: Store, _ dispenses: [Dispense]) async throws -> [IntakeResult] {
        var results: [IntakeResult] = []
        for dispense in dispenses {
            results.append(try await store.recordDispense(dispense, now: Fixture.now, audit: audit(dispense)))
        }
        return results
    }

    /// Record ids of `results`, in order.
    static func ids(_ results: [IntakeResult]) -> [String] { results.map(\.recordID) }

    @Test("A bulk load leaves the rows, records, profile bytes and verification that one-by-one intake leaves, in one commit")
    func bulkLoadEqualsNormalIntake() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (normal, bulk) = try Self.twins(directory)
        defer { try? normal.close(); try? bulk.close() }
        let dispenses = try Self.sample()
        let normalResults = try await Self.recordOneByOne(normal, dispenses)
        let commits = try CommitCounter.attach(to: bulk.pool)
        let audits = Dictionary(uniqueKeysWithValues: dispenses.map { ($0.pharmacyDispenseId, Self.audit($0)) })
        let bulkResults = try await bulk.bulkRecordDispenses(dispenses, now: Fixture.now, cacheMebibytes: 64) { dispense in
            audits[dispense.pharmacyDispenseId]!
        }
        #expect(commits.commits == 1)
        #expect(audits.values.allSatisfy { $0.isRecorded })
        // The page cache asked for (64 MiB, as SQLite's negative KiB), on the bulk store's writer only.
        let cacheSQL = "PRAGMA cache_size"
        #expect(try await bulk.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: cacheSQL) } == -65_536)
        #expect(try await normal.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: cacheSQL) } != -65_536)

        // Results: every one created, equal but for the random id.
        let idMap = Dictionary(uniqueKeysWithValues: zip(Self.ids(bulkResults), Self.ids(normalResults)))
        #expect(idMap.count == 4)
        func normalised(_ result: IntakeResult) -> IntakeResult {
            guard case .created(var record) = result else { return result }
            record.id = idMap[record.id] ?? record.id
            return .created(record)
        }
        #expect(bulkResults.map(normalised) == normalResults)
        #expect(normalResults.allSatisfy { if case .created = $0 { true } else { false } })

        // Rows: the same, column by column.
        let normalRows = try await Self.rows(normal)
        // 4 dispenses, 4 versions, 4 outbox entries, 4 audit entries, each table closed by a separator row.
        #expect(normalRows.count == 20)
        #expect(try await Self.rows(bulk) == normalRows)

        // The profile: the same records, and the same answer bytes once ids are swapped back.
        for nam in [Self.marie, Self.paul] {
            let normalProfile = try await normal.profile(nam: nam, since: nil, limit: 50)
            var bulkProfile = try await bulk.profile(nam: nam, since: nil, limit: 50)
            bulkProfile.entries = bulkProfile.entries.map { entry in
                guard case .record(var record) = entry else { return entry }
                record.id = idMap[record.id] ?? record.id
                return .record(record)
            }
            #expect(bulkProfile == normalProfile)
            #expect(normalProfile.records.count == (nam == Self.marie ? 3 : 1))

            func swapped(_ listing: AnswerListing) -> [String] {
                listing.entries.map { entry in
                    guard case .record(let json) = entry else { return "unreadable" }
                    var text = String(decoding: json.bytes, as: UTF8.self)
                    for (bulkID, normalID) in idMap { text = text.replacingOccurrences(of: bulkID, with: normalID) }
                    return text
                }
            }
            let normalAnswer = try await normal.profileAnswer(nam: nam, since: nil, limit: 50)
            let bulkAnswer = try await bulk.profileAnswer(nam: nam, since: nil, limit: 50)
            #expect(swapped(bulkAnswer) == swapped(normalAnswer))
            #expect(bulkAnswer.dispensedAt == normalAnswer.dispensedAt)
        }

        // Integrity: both stores verify whole (versions, indexes, outbox, audit chain).
        let normalCheck = try await normal.verify()
        let bulkCheck = try await bulk.verify()
        #expect(normalCheck.isSound)
        #expect(bulkCheck.isSound)
        #expect(bulkCheck.checked == normalCheck.checked)
        #expect(try await bulk.verifyAuditChain() == AuditVerification(entries: 4, firstBrokenSeq: nil))
    }

    @Test("A bulk load replays a dispense already recorded and refuses a conflicting one, as intake does")
    func bulkLoadReplaysAndConflicts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (normal, bulk) = try Self.twins(directory)
        defer { try? normal.close(); try? bulk.close() }
        let first = try Self.sample()
        // A replay, a conflict, a new dispense, and that new dispense again in the same array
        // (the transaction sees its own rows: a replay, not a second record).
        let again = [first[0], try Fixture.dispense(id: "B", note: "other content"), try Fixture.dispense(id: "E"),
                     try Fixture.dispense(id: "E")]
        let normalResults = try await Self.recordOneByOne(normal, first + again)
        var bulkResults = try await bulk.bulkRecordDispenses(first, now: Fixture.now, audit: Self.audit)
        bulkResults += try await bulk.bulkRecordDispenses(again, now: Fixture.now, audit: Self.audit)

        #expect(normalResults.map(\.auditOutcome) == [201, 201, 201, 201, 200, 409, 201, 200])
        #expect(bulkResults.map(\.auditOutcome) == normalResults.map(\.auditOutcome))
        // The replays name the first record, the conflict the record that holds the id.
        #expect(bulkResults[4].recordID == bulkResults[0].recordID)
        #expect(bulkResults[5].recordID == bulkResults[1].recordID)
        #expect(bulkResults[7].recordID == bulkResults[6].recordID)
        #expect(try await Self.rows(bulk) == Self.rows(normal))
        #expect(try await bulk.verify().isSound)
    }
}
