import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// A new dispense is sealed before its write joins the group commit (`PreparedIntake`); a key
/// rotation that makes another data key current in between must not leave it under the old key.
@Suite("Intake sealed before the write")
struct PreparedIntakeTests {
    static func commit(_ store: Store, _ prepared: PreparedIntake) async throws -> IntakeResult {
        let keys = store.keys
        let logger = store.logger
        return try await store.write { db in
            try Store.intake(db, keys: keys, prepared: prepared, audit: Fixture.intakeAudit, logger: logger)
        }
    }

    static func keyIDs(_ store: Store, id: String) async throws -> [String] {
        try await store.read { db in
            try String.fetchAll(db, sql: "SELECT key_id FROM dispense_version WHERE dispense_id = ?", arguments: [id])
        }
    }

    @Test("Prepared under a data key a rotation retired before the commit: stored under the new key, and reads back")
    func rotationBetweenSealAndCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let oldKey = store.dataKeyID
        let prepared = try PreparedIntake(try Fixture.dispense(id: "RX-ROTATED"), keys: store.keys, now: Fixture.now)
        #expect(prepared.keyID == oldKey)

        guard case .started = try await store.startKeyRotation(now: Fixture.now) else {
            Issue.record("rotation did not start")
            return
        }
        let newKey = store.dataKeyID
        #expect(newKey != oldKey)

        guard case .created(let record) = try await Self.commit(store, prepared) else {
            Issue.record("not created")
            return
        }
        #expect(record.id == prepared.id)
        #expect(try await Self.keyIDs(store, id: record.id) == [newKey])
        #expect(try await store.dispense(id: record.id) == record)
        // Nothing is left for the rotation under the old key from this record.
        _ = try await StoreKeyRotationTests.finish(store, limit: 16)
        #expect(try await KeyRotationFixture.dataKeys(store) == [newKey])
        #expect(try await store.dispense(id: record.id) == record)
    }

    @Test("Without a rotation the prepared payload is what is stored, under the current key")
    func storedAsPrepared() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let prepared = try PreparedIntake(try Fixture.dispense(id: "RX-PREPARED"), keys: store.keys, now: Fixture.now)
        guard case .created(let record) = try await Self.commit(store, prepared) else {
            Issue.record("not created")
            return
        }
        let payload = try await store.read { db in
            try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ?", arguments: [record.id])
        }
        #expect(payload == prepared.payload)
        #expect(try await Self.keyIDs(store, id: record.id) == [store.dataKeyID])
        #expect(try await store.dispense(id: record.id) == record)
    }

    @Test("A prepared replay writes nothing new: the id it was prepared with is not used")
    func replayIgnoresPreparedRows() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let dispense = try Fixture.dispense(id: "RX-TWICE")
        let first = try await Self.commit(store, try PreparedIntake(dispense, keys: store.keys, now: Fixture.now))
        let again = try PreparedIntake(dispense, keys: store.keys, now: Fixture.now.addingTimeInterval(60))
        guard case .created(let created) = first, case .replayed(let replayed) = try await Self.commit(store, again) else {
            Issue.record("not created then replayed")
            return
        }
        #expect(replayed == created)
        #expect(again.id != created.id)
        #expect(try await store.dispense(id: again.id) == nil)
        let versions = try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM dispense_version") }
        #expect(versions == 1)
    }

    @Test("A created dispense's answer, spliced from its sealed plaintext, is the record as the encoder writes it; other results have none")
    func createdAnswerIsTheEncodersRecord() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        var full = Samples.dispense(id: "RX-FULL", note: "a \"quoted\" note \\ with é, / and a tab\t")
        full["quantity"] = ["value": 2.5, "unit": "mL"]
        var sparse = Samples.dispense(id: "RX-SPARSE", lot: nil)
        for key in ["prescriber", "pharmacist", "dosageText", "whenHandedOver", "prescriptionId"] { sparse[key] = nil }
        for body in [full, sparse] {
            let intake = try await store.recordDispenseAnswering(try Fixture.dispense(body), now: Fixture.now, audit: Fixture.intakeAudit)
            guard case .created(let record) = intake.result else {
                Issue.record("not created: \(intake.result)")
                continue
            }
            #expect(intake.createdJSON() == Array(try JSONCoding.encoder.encode(record)))
            // What a later read answers, byte for byte.
            #expect(intake.createdJSON() == (try await store.dispenseAnswer(id: record.id))?.bytes)
            let replay = try await store.recordDispenseAnswering(try Fixture.dispense(body), now: Fixture.now, audit: Fixture.intakeAudit)
            guard case .replayed = replay.result else {
                Issue.record("not replayed: \(replay.result)")
                continue
            }
            #expect(replay.createdJSON() == nil)
        }
    }
}
