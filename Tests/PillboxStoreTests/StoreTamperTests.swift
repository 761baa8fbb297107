import Foundation
import GRDB
import Logging
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Tamper detection")
struct StoreTamperTests {
    /// `Samples.dispense`'s default hand-over time, 2026-11-20T10:00:00-05:00.
    static let handedOver = Date(timeIntervalSince1970: 1_795_186_800)

    static func integrityError(_ id: String, version: Int) -> StoreError {
        StoreError(.integrity, "dispense \(id) version \(version) failed authentication; the row was altered or moved")
    }

    /// Records with `prepare` in a fresh store, closes it, edits the database file with
    /// `edit` as someone with the file but not the key would, reopens it (logging to `logger`)
    /// and runs `check`.
    static func tampered<T: Sendable>(logger: Logger = Fixture.logger, prepare: (Store) async throws -> T,
                                      edit: (Database, T) throws -> Void,
                                      check: (Store, T) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let prepared = try await prepare(store)
        try store.close()
        try Fixture.withDatabase(directory) { db in try edit(db, prepared) }
        let reopened = try Fixture.open(directory, logger: logger)
        defer { try? reopened.close() }
        try await check(reopened, prepared)
    }

    /// One dispense "A", then its entered-in-error cancellation (version 2).
    static func createdThenEnteredInError(_ store: Store) async throws -> DispenseRecord {
        let a = try await Fixture.create(store, try Fixture.dispense(id: "A"))
        _ = try await store.cancelDispense(id: a.id, cancellation: try Fixture.cancellation("entered-in-error", reason: "w"),
                                           now: Fixture.now, audit: Fixture.changeAudit)
        return a
    }

    @Test("Swapping the payloads of two dispenses makes both fail authentication")
    func swappedPayloadsAreDetected() async throws {
        try await Self.tampered(prepare: { store -> (DispenseRecord, DispenseRecord) in
            (try await Fixture.create(store, try Fixture.dispense(id: "A")),
             try await Fixture.create(store, try Fixture.dispense(id: "B", nam: "ROYP40010199")))
        }, edit: { db, records in
            let (a, b) = records
            let payloadA = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [a.id]))
            let payloadB = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [b.id]))
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payloadB, a.id])
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payloadA, b.id])
        }, check: { reopened, records in
            let (a, b) = records
            await #expect(throws: Self.integrityError(a.id, version: 1)) { try await reopened.dispense(id: a.id) }
            await #expect(throws: Self.integrityError(b.id, version: 1)) { try await reopened.dispense(id: b.id) }
            await #expect(throws: Self.integrityError(a.id, version: 1)) { try await reopened.history(id: a.id) }
            // A profile flags the unreadable entry in its place instead of failing.
            let profile = try await reopened.profile(nam: "TREM50020312", since: nil, limit: 10)
            #expect(profile.entries.map(\.unreadable?.id) == [a.id])
        })
    }

    @Test("Moving a payload to another version of the same dispense is detected")
    func payloadMovedBetweenVersionsIsDetected() async throws {
        try await Self.tampered(prepare: { store -> DispenseRecord in
            let a = try await Fixture.create(store, try Fixture.dispense(id: "A"))
            _ = try await store.correctDispense(id: a.id, correction: try Fixture.correction(Samples.dispense(id: "A", lot: "L2"), reason: "r"),
                                                now: Fixture.now, audit: Fixture.changeAudit)
            return a
        }, edit: { db, a in
            try db.execute(sql: """
                UPDATE dispense_version SET payload = (SELECT payload FROM dispense_version WHERE dispense_id = ?1 AND version = 1)
                WHERE dispense_id = ?1 AND version = 2
                """, arguments: [a.id])
        }, check: { reopened, a in
            await #expect(throws: Self.integrityError(a.id, version: 2)) { try await reopened.dispense(id: a.id) }
        })
    }

    @Test("Flipping one bit of a payload is detected")
    func flippedBitIsDetected() async throws {
        try await Self.tampered(prepare: { store -> DispenseRecord in
            try await Fixture.create(store, try Fixture.dispense(id: "A"))
        }, edit: { db, a in
            var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [a.id]))
            let middle = payload.startIndex + payload.count / 2
            payload[middle] ^= 0x01
            try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ?", arguments: [payload, a.id])
        }, check: { reopened, a in
            await #expect(throws: Self.integrityError(a.id, version: 1)) { try await reopened.dispense(id: a.id) }
        })
    }

    @Test("Rewriting a version's clear status is detected")
    func rewrittenStatusIsDetected() async throws {
        try await Self.tampered(prepare: Self.createdThenEnteredInError, edit: { db, a in
            try db.execute(sql: "UPDATE dispense_version SET status = 'completed' WHERE dispense_id = ? AND version = 2", arguments: [a.id])
            try db.execute(sql: "UPDATE dispense SET status = 'completed' WHERE id = ?", arguments: [a.id])
        }, check: { reopened, a in
            await #expect(throws: Self.integrityError(a.id, version: 2)) { try await reopened.dispense(id: a.id) }
        })
    }

    @Test("Rewriting a version's clear recording time is detected")
    func rewrittenRecordingTimeIsDetected() async throws {
        try await Self.tampered(prepare: { store -> DispenseRecord in
            try await Fixture.create(store, try Fixture.dispense(id: "A"))
        }, edit: { db, a in
            try db.execute(sql: "UPDATE dispense_version SET recorded_at = recorded_at - 86400 WHERE dispense_id = ?", arguments: [a.id])
        }, check: { reopened, a in
            await #expect(throws: Self.integrityError(a.id, version: 1)) { try await reopened.dispense(id: a.id) }
        })
    }

    @Test("Pointing a dispense back at an older version is detected")
    func rolledBackCurrentVersionIsDetected() async throws {
        try await Self.tampered(prepare: Self.createdThenEnteredInError, edit: { db, a in
            try db.execute(sql: "UPDATE dispense SET current_version = 1, status = 'completed' WHERE id = ?", arguments: [a.id])
        }, check: { reopened, a in
            let refusal = StoreError(.integrity, "dispense \(a.id) points at version 1, not its newest; the row was altered")
            await #expect(throws: refusal) { try await reopened.dispense(id: a.id) }
            await #expect(throws: refusal) { try await reopened.dispenseAnswer(id: a.id) }
            // Listings flag it in its place: neither the older version nor a 500.
            let flag = ListedDispense.unreadable(UnreadableDispense(id: a.id, version: 1, dispensedAt: Self.handedOver))
            let profile = try await reopened.profile(nam: a.dispense.patient.nam, since: nil, limit: 10)
            #expect(profile.entries == [flag])
            let recall = try await reopened.recall(RecallQuery(din: try #require(a.dispense.medication.din), limit: 10))
            #expect(recall.entries == [flag])
        })
    }
}
