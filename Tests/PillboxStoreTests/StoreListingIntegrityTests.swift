import Foundation
import GRDB
import Logging
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

/// One corrupt row must not take a whole profile or recall down: it is flagged in its place,
/// the rest is served, and the log names its record id and nothing of its content.
@Suite("Listings with an unreadable row")
struct StoreListingIntegrityTests {
    /// Three fills for one patient (March, June, November, same product); returns them oldest first.
    static func threeFills(_ store: Store) async throws -> [DispenseRecord] {
        [
            try await Fixture.create(store, try Fixture.dispense(id: "RX-MARCH", lot: "LOT-A", handedOver: "2026-03-01T09:00:00Z")),
            try await Fixture.create(store, try Fixture.dispense(id: "RX-JUNE", lot: "LOT-B", handedOver: "2026-06-01T09:00:00Z")),
            try await Fixture.create(store, try Fixture.dispense(id: "RX-NOVEMBER", lot: "LOT-C", handedOver: "2026-11-01T09:00:00Z")),
        ]
    }

    /// Flips one bit in the middle of a version's payload.
    static func flipByte(_ db: Database, id: String, version: Int = 1) throws {
        var payload = try #require(try Data.fetchOne(db, sql: "SELECT payload FROM dispense_version WHERE dispense_id = ? AND version = ?",
                                                     arguments: [id, version]))
        payload[payload.startIndex + payload.count / 2] ^= 0x01
        try db.execute(sql: "UPDATE dispense_version SET payload = ? WHERE dispense_id = ? AND version = ?",
                       arguments: [payload, id, version])
    }

    /// Every piece of patient data in `records`, none of which may reach a log line.
    static func patientData(_ records: [DispenseRecord]) -> [String] {
        records.flatMap { record -> [String] in
            let d = record.dispense
            return [d.patient.nam, d.medication.display, d.pharmacyDispenseId]
                + [d.patient.familyName, d.prescriptionId, d.lot, d.medication.din].compactMap { $0 }
        }
    }

    @Test("A profile with one flipped byte in one version lists the other two and flags that one, logged by id only")
    func profileFlagsTheCorruptEntry() async throws {
        let capture = LogCapture()
        try await StoreTamperTests.tampered(logger: capture.logger, prepare: Self.threeFills, edit: { db, fills in
            try Self.flipByte(db, id: fills[1].id)
        }, check: { reopened, fills in
            let (march, june, november) = (fills[0], fills[1], fills[2])
            let listing = try await reopened.profile(nam: march.dispense.patient.nam, since: nil, limit: 10)
            let juneAt = try #require(Timestamps.parseRFC3339("2026-06-01T09:00:00Z"))
            #expect(listing.entries == [
                .record(november), .unreadable(UnreadableDispense(id: june.id, version: 1, dispensedAt: juneAt)), .record(march),
            ])
            #expect(listing.unreadable.map(\.id) == [june.id])

            let lines = capture.records
            #expect(lines.count == 1)
            #expect(lines.first?.level == .error)
            #expect(lines.first?.metadata["dispense.id"] == june.id)
            #expect(lines.first?.metadata["error.code"] == "integrity")
            let rendered = lines.map(\.rendered).joined(separator: "\n")
            for secret in Self.patientData(fills) { #expect(!rendered.contains(secret), "a log line carries patient data") }
        })
    }

    @Test("A recall flags the corrupt fill in its place and pages on past it")
    func recallFlagsTheCorruptEntry() async throws {
        try await StoreTamperTests.tampered(prepare: Self.threeFills, edit: { db, fills in
            try Self.flipByte(db, id: fills[1].id)
        }, check: { reopened, fills in
            let din = try #require(fills[0].dispense.medication.din)
            let first = try await reopened.recall(RecallQuery(din: din, limit: 2))
            #expect(first.entries.map { $0.record?.id ?? "flag:" + ($0.unreadable?.id ?? "?") } == [fills[2].id, "flag:" + fills[1].id])
            let cursor = try #require(first.nextCursor)
            let second = try await reopened.recall(RecallQuery(din: din, limit: 2, cursor: cursor))
            #expect(second.entries == [.record(fills[0])])
            #expect(second.nextCursor == nil)
        })
    }

    @Test("A dispense pointed at a version that does not exist is flagged, not silently left out")
    func missingVersionIsFlagged() async throws {
        let capture = LogCapture()
        try await StoreTamperTests.tampered(logger: capture.logger, prepare: Self.threeFills, edit: { db, fills in
            try db.execute(sql: "UPDATE dispense SET current_version = 7 WHERE id = ?", arguments: [fills[0].id])
        }, check: { reopened, fills in
            let listing = try await reopened.profile(nam: fills[0].dispense.patient.nam, since: nil, limit: 10)
            #expect(listing.records == [fills[2], fills[1]])
            #expect(listing.unreadable.map(\.id) == [fills[0].id])
            #expect(listing.unreadable.map(\.version) == [7])
            #expect(capture.records.map { $0.metadata["dispense.id"] } == [fills[0].id])
            // A single read of it fails, as either reader.
            let refusal = StoreError(.integrity, "dispense \(fills[0].id) points at version 7, which does not exist; the row was altered")
            await #expect(throws: refusal) { try await reopened.dispense(id: fills[0].id) }
            await #expect(throws: refusal) { try await reopened.dispenseAnswer(id: fills[0].id) }
            #expect(try await reopened.dispenseAnswer(id: fills[1].id) != nil)
        })
    }

    @Test("A dispense pointed back at an older version is flagged once in its place, and the limit still counts dispenses")
    func pointedBackCountsOnce() async throws {
        let capture = LogCapture()
        try await StoreTamperTests.tampered(logger: capture.logger, prepare: { (store: Store) -> [DispenseRecord] in
            var fills = try await Self.threeFills(store)
            // June corrected twice: versions 1, 2 and 3.
            for quantity in [60, 90] {
                var body = Samples.dispense(id: "RX-JUNE", lot: "LOT-B", handedOver: "2026-06-01T09:00:00Z")
                body["quantity"] = ["value": quantity, "unit": "tablet"]
                _ = try await store.correctDispense(id: fills[1].id, correction: try Fixture.correction(body, reason: "quantity"),
                                                    now: Fixture.now, audit: Fixture.changeAudit)
            }
            fills[1] = try #require(try await store.dispense(id: fills[1].id))
            return fills
        }, edit: { db, fills in
            try db.execute(sql: "UPDATE dispense SET current_version = 1 WHERE id = ?", arguments: [fills[1].id])
        }, check: { reopened, fills in
            let (march, june, november) = (fills[0], fills[1], fills[2])
            let juneAt = try #require(Timestamps.parseRFC3339("2026-06-01T09:00:00Z"))
            let flagged = ListedDispense.unreadable(UnreadableDispense(id: june.id, version: 1, dispensedAt: juneAt))
            // Two newer versions give the join three rows for June: still one entry, and March still fits.
            #expect(try await reopened.profile(nam: march.dispense.patient.nam, since: nil, limit: 3).entries
                        == [.record(november), flagged, .record(march)])
            #expect(try await reopened.profile(nam: march.dispense.patient.nam, since: nil, limit: 2).entries
                        == [.record(november), flagged])
            #expect(capture.records.map { $0.metadata["dispense.id"] } == [june.id, june.id])
            let detail: String? = "dispense \(june.id) points at version 1, not its newest; the row was altered"
            #expect(capture.records.map { $0.metadata["error.detail"] } == [detail, detail])
        })
    }

    @Test("A single read of a corrupt dispense still fails, and the log names its id")
    func singleReadLogsTheID() async throws {
        let capture = LogCapture()
        try await StoreTamperTests.tampered(logger: capture.logger, prepare: Self.threeFills, edit: { db, fills in
            try Self.flipByte(db, id: fills[1].id)
        }, check: { reopened, fills in
            await #expect(throws: StoreTamperTests.integrityError(fills[1].id, version: 1)) { try await reopened.dispense(id: fills[1].id) }
            await #expect(throws: StoreTamperTests.integrityError(fills[1].id, version: 1)) { try await reopened.history(id: fills[1].id) }
            #expect(capture.records.map { $0.metadata["dispense.id"] } == [fills[1].id, fills[1].id])
            let sound = try await reopened.dispense(id: fills[0].id)
            #expect(sound == fills[0])
        })
    }
}
