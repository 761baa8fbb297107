import Foundation
import GRDB
import Logging

extension Schema {
    /// Files every version under its patient: `dispense_version` keyed by
    /// `(patient_index, dispense_id, version)` instead of `(dispense_id, version)`, so that a
    /// patient's versions sit side by side in the table's B-tree. A profile of 150 fills in a
    /// store of a million reads a few neighbouring pages instead of one page per version
    /// (docs/performance.md, "versions filed by patient"). The profile's look-ups of the
    /// dispense rows and their outbox entries become covering indexes for the same reason.
    ///
    /// Every version carries its dispense row's `patient_index` (a correction that moves a
    /// dispense to another patient moves its older versions too), and reads by id go through
    /// the `dispense` row to find it: there is no second index by id. Runs once, inside the
    /// migration's transaction: a failure (a full disk) leaves the store as it was. A version
    /// with no dispense row (only an edit of the file makes one) fails the foreign-key check
    /// GRDB runs after every migration: the upgrade is rolled back and the start refused
    /// (`StoreVersionsByPatientTests`); restore a backup or repair the file with `sqlite3`.
    static func fileVersionsByPatient(_ db: Database, logger: Logger,
                                      freeBytes: (String) -> UInt64? = DataFolderRestore.freeBytes) throws {
        try checkRoomToFile(db, freeBytes: freeBytes)
        let started = Date()
        // A new store has nothing to copy: nothing to tell the technician either.
        let copying = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM dispense_version)") ?? false
        if copying {
            logger.notice("Filing dispense versions by patient: runs once; a large store takes a while (about 30 s for a million versions on the development machine)",
                          metadata: ["migration": "v5-versions-by-patient"])
        }
        try db.execute(sql: """
            CREATE TABLE dispense_version_by_patient (
                patient_index BLOB NOT NULL,
                dispense_id TEXT NOT NULL REFERENCES dispense(id),
                version INTEGER NOT NULL,
                status TEXT NOT NULL,
                recorded_at REAL NOT NULL,
                key_id TEXT NOT NULL REFERENCES key(id),
                payload BLOB NOT NULL,
                PRIMARY KEY (patient_index, dispense_id, version)
            ) WITHOUT ROWID;
            INSERT INTO dispense_version_by_patient
                SELECT COALESCE(d.patient_index, X''), v.dispense_id, v.version, v.status, v.recorded_at, v.key_id, v.payload
                  FROM dispense_version v LEFT JOIN dispense d ON d.id = v.dispense_id
                 ORDER BY 1, 2, 3;
            DROP TABLE dispense_version;
            ALTER TABLE dispense_version_by_patient RENAME TO dispense_version;
            CREATE INDEX dispense_version_by_key ON dispense_version(key_id);
            -- What a profile reads of each dispense row and its outbox entry, in the index: a
            -- patient's rows and entries are spread over the tables in the order they came.
            DROP INDEX dispense_by_patient;
            CREATE INDEX dispense_by_patient ON dispense(patient_index, dispensed_at, status, current_version, id);
            CREATE INDEX outbox_by_version ON outbox(dispense_id, version, state);
            """)
        guard copying else { return }
        let versions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense_version") ?? 0
        logger.notice("Dispense versions filed by patient", metadata: [
            "migration": "v5-versions-by-patient", "versions": "\(versions)",
            "durationMilliseconds": "\(Int(Date().timeIntervalSince(started) * 1000))",
        ])
    }

    /// The copy is written to the WAL, then into the database file, before the old table's
    /// pages are freed: about twice the versions' size must be free (200 bytes a row for the
    /// key, the clear columns and the indexes, a little over what a store of a million
    /// versions took). Refused before writing anything, with what to do, rather than failing
    /// half-way on a full disk at every restart.
    static func checkRoomToFile(_ db: Database, freeBytes: (String) -> UInt64?) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0) FROM dispense_version"),
              let file = try String.fetchOne(db, sql: "SELECT file FROM pragma_database_list WHERE name = 'main'"), !file.isEmpty
        else { return }
        let folder = (file as NSString).deletingLastPathComponent
        let needed = 2 * (UInt64(row[1] as Int64) + 200 * UInt64(row[0] as Int64))
        guard let free = freeBytes(folder), free < needed else { return }
        let mebibytes = { (bytes: UInt64) in (bytes + (1 << 20) - 1) >> 20 }
        throw StoreError(.diskFull, "upgrading the store (migration v5-versions-by-patient, once) needs about "
            + "\(mebibytes(needed)) MiB free in \(folder), and \(mebibytes(free)) MiB are: free space on that disk, "
            + "then start pillboxd again; nothing was changed")
    }
}
