import Foundation
import GRDB
import Logging
@testable import PillboxAPI
import PillboxChecks
import PillboxCrypto
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

/// The checks read only a few fields of each local fill (`Store.checkFills`); what they read
/// must be exactly what the full records give (`CheckFill(local: DispenseRecord)`).
@Suite("The checks' read of local fills")
struct CheckFillReadTests {
    static let nam = "TREM50020312"
    static let now = Timestamps.parseRFC3339("2026-12-01T12:00:00Z")!
    static let audit = RequestAudit(uid: 1000, pid: 4242, role: "dispenser", action: "dispense.create")
    static let parser = DispenseParser()

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func parse(_ body: [String: Any]) throws -> Dispense {
        try parser.dispense(from: JSONDecoder().decode(JSONValue.self, from: Samples.json(body)), now: now).get()
    }

    static func create(_ store: Store, _ body: [String: Any], at: Date = now) async throws -> DispenseRecord {
        let result = try await store.recordDispense(try parse(body), now: at, audit: audit)
        guard case .created(let record) = result else { throw CheckFillReadTests.Failure(description: "expected .created, got \(result)") }
        return record
    }

    /// A new store at `path`, logging nowhere.
    static func openStore(_ path: String) throws -> Store {
        try Store.open(path: path, masterKey: SecretKey.random(),
                       logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), now: now)
    }

    /// What the checks read of the patient's fills, and what the full records give, side by side.
    static func bothReads(_ store: Store, since: Date? = nil) async throws
        -> (read: [CheckFill], full: [CheckFill], unreadable: Int, flagged: Int) {
        let listing = try await store.checkFills(nam: nam, since: since, limit: 100)
        let profile = try await store.profile(nam: nam, since: since, limit: 100)
        return (listing.fills.map(CheckFill.init(local:)), profile.records.map(CheckFill.init(local:)),
                listing.unreadable, profile.unreadable.count)
    }

    @Test("Fills read for the checks equal those made from full records: corrections, cancellations, entered in error, missing fields, odd timestamps, unreadable rows")
    func checkFillsEqualFullRecords() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("pillbox.sqlite")
        let store = try Self.openStore(path)
        defer { try? store.close() }

        // Whole seconds with an offset; a fraction that binary cannot hold; a lower-case 't'
        // and 'z'; nanoseconds.
        let plain = try await Self.create(store, Samples.dispense(id: "PLAIN", handedOver: "2026-11-20T10:00:00-05:00"))
        _ = try await Self.create(store, Samples.dispense(id: "MILLIS", handedOver: "2026-11-21T10:00:00.123+01:30"))
        _ = try await Self.create(store, Samples.dispense(id: "LOWER", handedOver: "2026-11-22t03:04:05.7z"))
        _ = try await Self.create(store, Samples.dispense(id: "NANOS", handedOver: "2026-10-01T23:59:59.987654321Z"))
        // No hand-over time (dated by when it was recorded, at a time with a fraction), no
        // quantity, days' supply, prescription or DIN (a code instead), a substance code.
        var bare = Samples.dispense(id: "BARE", lot: nil)
        for key in ["whenHandedOver", "quantity", "daysSupply", "prescriptionId"] { bare[key] = nil }
        bare["medication"] = ["code": "99001", "codeSystem": "https://pharmacy.example/codes", "display": "Compounded",
                              "substanceCode": "A10BA02"]
        _ = try await Self.create(store, bare, at: Self.now.addingTimeInterval(-3_600.123_456))
        // Corrected: the current version has another DIN, date and supply.
        let corrected = try await Self.create(store, Samples.dispense(id: "CORR", handedOver: "2026-11-10T08:00:00Z"))
        var fixed = Samples.dispense(id: "CORR", din: "02229785", handedOver: "2026-11-11T08:30:00Z")
        fixed["daysSupply"] = 90
        fixed["reason"] = "wrong DIN"
        let correction = try Self.parser.correction(from: JSONDecoder().decode(JSONValue.self, from: Samples.json(fixed)),
                                                    now: Self.now).get()
        guard case .changed = try await store.correctDispense(id: corrected.id, correction: correction, now: Self.now,
                                                              audit: Self.audit) else { throw CheckFillReadTests.Failure(description: "correction refused") }
        // Cancelled (listed, with its status) and entered in error (left out of both).
        for (id, status) in [("CANCEL", "cancelled"), ("EIE", "entered-in-error")] {
            let record = try await Self.create(store, Samples.dispense(id: id, handedOver: "2026-11-05T09:00:00Z"))
            let cancellation = try Self.parser.cancellation(from: JSONDecoder().decode(
                JSONValue.self, from: Samples.json(["status": status, "reason": "test"]))).get()
            guard case .changed = try await store.cancelDispense(id: record.id, cancellation: cancellation, now: Self.now,
                                                                 audit: Self.audit) else { throw CheckFillReadTests.Failure(description: "cancel refused") }
        }
        // Another patient's fill is never listed.
        _ = try await Self.create(store, Samples.dispense(id: "OTHER", nam: "GAGL60010199"))

        let all = try await Self.bothReads(store)
        #expect(all.read == all.full)
        #expect(all.read.map(\.pharmacyDispenseId) == ["BARE", "LOWER", "MILLIS", "PLAIN", "CORR", "CANCEL", "NANOS"])
        #expect(all.read.map(\.status) == ["completed", "completed", "completed", "completed", "completed", "cancelled", "completed"])
        #expect(all.read.first { $0.pharmacyDispenseId == "CORR" }?.din == "02229785")
        #expect(all.read.first { $0.pharmacyDispenseId == "CORR" }?.daysSupply == 90)
        let bareFill = try #require(all.read.first)
        #expect(bareFill.din == nil && bareFill.quantity == nil && bareFill.daysSupply == nil && bareFill.prescriptionId == nil)
        #expect(bareFill.substanceCode == "A10BA02")
        #expect(all.unreadable == 0 && all.flagged == 0)

        // `since` bounds both reads alike.
        let since = try #require(Timestamps.parseRFC3339("2026-11-20T15:00:00Z"))
        let recent = try await Self.bothReads(store, since: since)
        #expect(recent.read == recent.full)
        #expect(recent.read.map(\.pharmacyDispenseId) == ["BARE", "LOWER", "MILLIS", "PLAIN"])

        // Two rows altered behind the store's back: a payload that no longer authenticates, and
        // a dispense pointed back at its first version. Both reads leave them out and count them.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE dispense_version SET payload = zeroblob(length(payload)) WHERE dispense_id = ?",
                           arguments: [plain.id])
            try db.execute(sql: "UPDATE dispense SET current_version = 1 WHERE id = ?", arguments: [corrected.id])
        }
        try queue.close()
        let altered = try await Self.bothReads(store)
        #expect(altered.read == altered.full)
        #expect(altered.read.map(\.pharmacyDispenseId) == ["BARE", "LOWER", "MILLIS", "CANCEL", "NANOS"])
        #expect(altered.unreadable == 2)
        #expect(altered.flagged == 2)
    }

    /// The checks do not read the outbox: a fill whose upload entry was altered is flagged by
    /// the profile (its sync state is unknown) and still counted by the checks, where it could
    /// be an early refill. Its content authenticates; only the entry beside it is damaged.
    @Test("A fill whose outbox entry was altered still counts in the checks; the profile flags it")
    func alteredOutboxEntryStillCounts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("pillbox.sqlite")
        let store = try Self.openStore(path)
        defer { try? store.close() }
        let first = try await Self.create(store, Samples.dispense(id: "FIRST", handedOver: "2026-11-20T10:00:00Z"))
        _ = try await Self.create(store, Samples.dispense(id: "SECOND", handedOver: "2026-11-21T10:00:00Z"))
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'scrambled' WHERE dispense_id = ?", arguments: [first.id])
        }
        try queue.close()

        let both = try await Self.bothReads(store)
        #expect(both.read.map(\.pharmacyDispenseId) == ["SECOND", "FIRST"])
        #expect(both.read.last == CheckFill(local: first))
        #expect(both.unreadable == 0)
        #expect(both.full.map(\.pharmacyDispenseId) == ["SECOND"])
        #expect(both.flagged == 1)
    }
}
