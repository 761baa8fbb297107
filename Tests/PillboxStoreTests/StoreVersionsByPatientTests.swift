import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// `dispense_version` filed by patient (migration `v5-versions-by-patient`): a store an older
/// daemon left is upgraded once, nothing lost, and every read of a version takes the key.
@Suite("Versions filed by patient")
struct StoreVersionsByPatientTests {
    static let migration = "v5-versions-by-patient"

    /// Puts `dispense_version` back the way daemons before v5 kept it (keyed by dispense id),
    /// and marks `migrations` as not yet applied, and v6's and v7's summary (which came later) too.
    static func makeOldLayout(_ db: Database, forgetting migrations: [String]) throws {
        for trigger in Schema.outboxSummaryTriggers { try db.execute(sql: "DROP TRIGGER \(trigger)") }
        try db.execute(sql: """
            DROP TABLE store_summary;
            DROP TRIGGER store_summary_dispense_added;
            DROP TRIGGER store_summary_dispense_removed;
            DROP INDEX outbox_by_sent_at;
            CREATE TABLE old_version (
                dispense_id TEXT NOT NULL REFERENCES dispense(id),
                version INTEGER NOT NULL,
                status TEXT NOT NULL,
                recorded_at REAL NOT NULL,
                key_id TEXT NOT NULL REFERENCES key(id),
                payload BLOB NOT NULL,
                PRIMARY KEY (dispense_id, version)
            ) WITHOUT ROWID;
            INSERT INTO old_version SELECT dispense_id, version, status, recorded_at, key_id, payload FROM dispense_version;
            DROP TABLE dispense_version;
            ALTER TABLE old_version RENAME TO dispense_version;
            CREATE INDEX dispense_version_by_key ON dispense_version(key_id);
            DROP INDEX dispense_by_patient;
            CREATE INDEX dispense_by_patient ON dispense(patient_index, dispensed_at);
            DROP INDEX outbox_by_version;
            """)
        for migration in migrations + ["v6-store-summary", "v7-outbox-summary"] {
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [migration])
        }
    }

    static func versionKey(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('sqlite_autoindex_dispense_version_1') ORDER BY seqno")
    }

    @Test("A store with versions filed by id is upgraded at open: same records, same history, verifies clean, filed by patient")
    func oldStoreUpgrades() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let a = try await Fixture.create(store, try Fixture.dispense(id: "A", handedOver: "2026-03-01T09:00:00Z"))
        let b = try await Fixture.create(store, try Fixture.dispense(id: "B", nam: "ROYP40010199"))
        let corrected = try await store.correctDispense(
            id: a.id, correction: try Fixture.correction(Samples.dispense(id: "A", lot: "L9", handedOver: "2026-03-01T09:00:00Z"),
                                                         reason: "r"),
            now: Fixture.now, audit: Fixture.changeAudit)
        guard case .changed(let a2) = corrected else { Issue.record("expected .changed, got \(corrected)"); return }
        let profiles = (try await store.profile(nam: "TREM50020312", since: nil, limit: 10),
                        try await store.profile(nam: "ROYP40010199", since: nil, limit: 10))
        try store.close()
        try Fixture.withDatabase(directory) { db in
            try Self.makeOldLayout(db, forgetting: [Self.migration])
            #expect(try Self.versionKey(db) == ["dispense_id", "version"])
        }

        let reopened = try Fixture.open(directory)
        #expect(try await reopened.history(id: a.id) == [a, a2])
        #expect(try await reopened.dispense(id: b.id) == b)
        #expect(try await reopened.profile(nam: "TREM50020312", since: nil, limit: 10) == profiles.0)
        #expect(try await reopened.profile(nam: "ROYP40010199", since: nil, limit: 10) == profiles.1)
        #expect(try await reopened.verify().problems == [])
        try reopened.close()
        try Fixture.withDatabase(directory) { (db: Database) throws in
            #expect(try Self.versionKey(db) == ["patient_index", "dispense_id", "version"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense_version") == 3)
            #expect(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM dispense_version v JOIN dispense d ON d.id = v.dispense_id AND d.patient_index = v.patient_index
                """) == 3)
            #expect(try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('dispense_version') ORDER BY name")
                    == ["dispense_version_by_key", "sqlite_autoindex_dispense_version_1"])
            #expect(try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('dispense_by_patient') ORDER BY seqno")
                    == ["patient_index", "dispensed_at", "status", "current_version", "id"])
            #expect(try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('outbox_by_version') ORDER BY seqno")
                    == ["dispense_id", "version", "state"])
        }
    }

    @Test("The upgrade logs when it starts and ends, with the count; a new store's first open logs neither")
    func upgradeNotices() async throws {
        let fresh = try TemporaryDirectory()
        defer { fresh.remove() }
        let quiet = LogCapture()
        try Fixture.open(fresh, logger: quiet.logger).close()
        #expect(quiet.records.filter { $0.metadata["migration"] == Self.migration }.isEmpty)

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        _ = try await Fixture.create(store, try Fixture.dispense(id: "N1"))
        _ = try await Fixture.create(store, try Fixture.dispense(id: "N2", nam: "ROYP40010199"))
        try store.close()
        try Fixture.withDatabase(directory) { db in try Self.makeOldLayout(db, forgetting: [Self.migration]) }
        let told = LogCapture()
        try Fixture.open(directory, logger: told.logger).close()
        let notices = told.records.filter { $0.metadata["migration"] == Self.migration }
        #expect(notices.map(\.level) == [.notice, .notice])
        #expect(notices.first?.message.hasPrefix("Filing dispense versions by patient: runs once") == true)
        #expect(notices.last?.message == "Dispense versions filed by patient")
        #expect(notices.last?.metadata["versions"] == "2")
    }

    @Test("A store from before v3 takes both migrations in order: lot indexes over the old layout, then the new layout")
    func storeFromBeforeV3() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let fill = try await Fixture.create(store, try Fixture.dispense(id: "OLD", lot: "AB-123"))
        let oldLotIndex = store.keys.blindIndex("lot", "AB-123")
        try store.close()
        try Fixture.withDatabase(directory) { db in
            try Self.makeOldLayout(db, forgetting: ["v3-normalised-lot-index", Self.migration])
            try db.execute(sql: "UPDATE dispense SET lot_index = ?", arguments: [oldLotIndex])
        }

        let reopened = try Fixture.open(directory)
        #expect(try await reopened.recall(RecallQuery(din: "02242903", lot: "ab123", limit: 10)).records == [fill])
        #expect(try await reopened.verify().problems == [])
        try reopened.close()
    }

    @Test("An upgrade that cannot finish (a version without its dispense row) fails the open and leaves the store as it was")
    func failedUpgradeChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        _ = try await Fixture.create(store, try Fixture.dispense(id: "K"))
        let orphan = try await Fixture.create(store, try Fixture.dispense(id: "O", nam: "ROYP40010199"))
        try store.close()
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: Fixture.databasePath(directory), configuration: configuration)
        try await queue.write { db in
            try Self.makeOldLayout(db, forgetting: [Self.migration])
            try db.execute(sql: "DELETE FROM dispense WHERE id = ?", arguments: [orphan.id])
        }
        try queue.close()

        #expect(throws: StoreError.self) { try Fixture.open(directory) }
        try Fixture.withDatabase(directory) { (db: Database) throws in
            #expect(try Self.versionKey(db) == ["dispense_id", "version"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense_version") == 2)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration]) == 0)
        }
    }

    /// A read that names a version by dispense id alone would read the whole table (there is no
    /// index by id): every read the daemon makes of versions goes through the key.
    @Test("The profile, the checks, the single read, the history and the current-version check look versions up by their key", arguments: [
        ("profile", Store.patientListingSQL),
        ("checks", Store.checkListingSQL),
        ("single read", Store.currentByIDSQL),
        ("one version", Store.versionSelect + " WHERE d2.id = ? AND v.version = ?"),
        ("history", Store.versionSelect + " WHERE d2.id = ? ORDER BY v.version"),
        ("current", Store.currentSelect + " WHERE d2.id = ?"),
    ])
    func plansUseTheKey(name: String, sql: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Fixture.open(directory).close()
        let plan = try Fixture.withDatabase(directory) { db in
            let unbound = StatementArguments(Array(repeating: DatabaseValue.null, count: sql.filter { $0 == "?" }.count))
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: unbound).map { $0["detail"] as String }
        }
        let versionSteps = plan.filter { $0.contains(" v ") || $0.contains(" n ") }
        #expect(!versionSteps.isEmpty, "\(name): \(plan)")
        for step in versionSteps {
            #expect(step.contains("USING PRIMARY KEY (patient_index=? AND dispense_id=?"), "\(name): \(step)")
        }
        #expect(plan.allSatisfy { !$0.hasPrefix("SCAN") }, "\(name): \(plan)")
        // Rows come in the order asked for: no sort that would copy every row, payload included.
        #expect(plan.allSatisfy { !$0.contains("TEMP B-TREE") }, "\(name): \(plan)")
        // The checks need no sync state: they do not read the outbox at all.
        #expect(plan.filter { $0.contains(" o ") }
                    == (name == "checks" ? [] : ["SEARCH o USING COVERING INDEX outbox_by_version (dispense_id=? AND version=?) LEFT-JOIN"]),
                "\(name): \(plan)")
        if name == "profile" || name == "checks" {
            #expect(plan.contains("SEARCH d USING COVERING INDEX dispense_by_patient (patient_index=? AND dispensed_at>?)"), "\(plan)")
        }
    }
}

/// The upgrade needs room for a copy of the versions; without it the open is refused before
/// anything is written, saying how much is needed (not a full disk half-way, at every restart).
@Suite("Versions filed by patient: room for the upgrade")
struct StoreVersionsByPatientRoomTests {
    /// An old-layout store of 400 dispenses in `directory`; returns the database's size.
    static func oldStore(_ directory: TemporaryDirectory) async throws -> Int {
        let store = try Fixture.open(directory)
        let dispenses = try (0..<400).map { try Fixture.dispense(id: "ROOM-\($0)", nam: String(format: "ROOM%08d", $0 % 40)) }
        _ = try await store.bulkRecordDispenses(dispenses, now: Fixture.now) { _ in Fixture.intakeAudit }
        try store.close()
        try Fixture.withDatabase(directory) { db in try StoreVersionsByPatientTests.makeOldLayout(db, forgetting: [StoreVersionsByPatientTests.migration]) }
        let queue = try DatabaseQueue(path: Fixture.databasePath(directory))
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        try queue.close()
        return (try FileManager.default.attributesOfItem(atPath: Fixture.databasePath(directory))[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test("Too little free space (the estimate seam): refused with the sizes and what to do; the store unchanged")
    func refusedByEstimate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await Self.oldStore(directory)
        let error = try Fixture.withDatabase(directory) { db -> StoreError? in
            do { try Schema.checkRoomToFile(db, freeBytes: { _ in 100_000 }) } catch let error as StoreError { return error }
            return nil
        }
        #expect(error?.code == .diskFull)
        #expect(error?.message.hasPrefix("upgrading the store (migration v5-versions-by-patient, once) needs about ") == true)
        #expect(error?.message.hasSuffix(" MiB free in \(directory.path), and 1 MiB are: free space on that disk, then start pillboxd again; nothing was changed") == true,
                "\(error?.message ?? "")")
        try Fixture.withDatabase(directory) { db in try Schema.checkRoomToFile(db, freeBytes: { _ in 1 << 30 }) }
    }

    @Test("On a real tmpfs: refused when the copy cannot fit, nothing changed; upgraded when it can")
    func realTmpfs() async throws {
        try #require(getuid() == 0, "mounting a tmpfs needs root (CI runs as root)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let size = try await Self.oldStore(directory)
        try #require(size > 100_000, "the database is \(size) bytes")
        // 128 KiB: room for the -shm and -wal files, not for the copy of 400 versions (about 500 KiB).
        for (room, upgrades) in [(128 * 1024, false), (4 * size, true)] {
            let (refusal, copy, _) = try await TmpfsOpen.open(directory, tmpfsBytes: size + room)
            defer { copy.remove() }
            let layout = try Fixture.withDatabase(copy) { db in try StoreVersionsByPatientTests.versionKey(db) }
            if upgrades {
                #expect(refusal == nil, "\(refusal?.message ?? "")")
                #expect(layout == ["patient_index", "dispense_id", "version"])
            } else {
                #expect(refusal?.code == .diskFull, "\(refusal?.message ?? "no error")")
                #expect(layout == ["dispense_id", "version"])
            }
        }
    }
}
