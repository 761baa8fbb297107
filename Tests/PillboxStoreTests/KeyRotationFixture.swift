import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport

/// A store with records under one data key, for the rotation tests: dispenses (some
/// corrected, so with two versions), a dead letter with a sealed outcome, cached profiles.
struct KeyRotationFixture {
    let store: Store
    /// Every version of every dispense, by id, as read before the rotation.
    var histories: [String: [DispenseRecord]] = [:]
    var profiles: [String: Data] = [:]
    var outcomes: [OutboxEntry] = []

    static let outcome: JSONValue = .object(["resourceType": .string("OperationOutcome"),
                                             "issue": .array([.object(["code": .string("invalid")])])])

    /// Seeds `count` dispenses, every fifth corrected once.
    static func seed(_ store: Store, count: Int, prefix: String = "ROT") async throws -> KeyRotationFixture {
        var fixture = KeyRotationFixture(store: store)
        for n in 0..<count {
            let dispense = try Fixture.dispense(id: "\(prefix)-\(n)", nam: nam(n))
            let record = try await Fixture.create(store, dispense)
            if n % 5 == 0 {
                var body = Samples.dispense(id: "\(prefix)-\(n)", nam: nam(n))
                body["daysSupply"] = 60
                _ = try await store.correctDispense(id: record.id, correction: try Fixture.correction(body, reason: "days"),
                                                    now: Fixture.now, audit: Fixture.changeAudit)
            }
        }
        for n in 0..<3 {
            let payload = Data(#"[{"n":\#(n)}]"#.utf8)
            try await store.cacheCentralProfile(nam: nam(n), payload: payload, fetchedAt: Fixture.now)
            fixture.profiles[nam(n)] = payload
        }
        let batch = try await store.nextUploadBatch(limit: 2, now: Fixture.now)
        try await store.recordUploadResults(batch.items.map { ($0.seq, .deadLetter(summary: "HTTP 422 (invalid)", outcome: outcome)) },
                                            now: Fixture.now)
        try await fixture.snapshot()
        return fixture
    }

    static func nam(_ n: Int) -> String { "TREM500203" + String(format: "%02d", n % 100) }

    /// Reads every record (all versions), profile and dead letter.
    mutating func snapshot() async throws {
        let ids = try await store.read { db in try String.fetchAll(db, sql: "SELECT id FROM dispense ORDER BY id") }
        histories = [:]
        for id in ids { histories[id] = try await store.history(id: id) }
        outcomes = try await store.outboxEntries(state: .failed, limit: 1000)
    }

    /// Everything reads back as `before` held it (new records written meanwhile are ignored).
    func readsBackAs(_ before: KeyRotationFixture) async throws -> Bool {
        for (id, history) in before.histories where try await store.history(id: id) != history { return false }
        for (nam, payload) in before.profiles where try await store.cachedCentralProfile(nam: nam)?.payload != payload { return false }
        return try await store.outboxEntries(state: .failed, limit: 1000) == before.outcomes
    }

    /// Rows that name each data key: versions, outcomes, profiles.
    static func rowsByKey(_ store: Store) async throws -> [String: Int] {
        try await store.read { db in
            var counts: [String: Int] = [:]
            for sql in ["SELECT key_id FROM dispense_version", "SELECT error_key_id FROM outbox WHERE error_key_id IS NOT NULL",
                        "SELECT key_id FROM central_profile"] {
                for id in try String.fetchAll(db, sql: sql) { counts[id, default: 0] += 1 }
            }
            return counts
        }
    }

    /// Ids of the data keys in table `key`.
    static func dataKeys(_ store: Store) async throws -> [String] {
        try await store.read { db in try String.fetchAll(db, sql: "SELECT id FROM key WHERE purpose = 'data' ORDER BY created_at") }
    }
}
