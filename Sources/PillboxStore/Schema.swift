import GRDB
import Logging
import PillboxCrypto
import PillboxModel

/// The database schema, as migrations in code. Only non-identifying values are in clear:
/// random ids, versions, timestamps, status, sync state, key ids and blind indexes.
enum Schema {
    /// Every migration, in order. Data migrations that need the working keys unwrap them
    /// with `masterKey` (already checked by `Store.open` before migrating); `logger` names
    /// the records they had to skip (by id only).
    static func migrator(masterKey: SecretKey, logger: Logger) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // Data keys and index keys, each wrapped (AES-256-GCM) by the master key.
            try db.execute(sql: """
                CREATE TABLE key (
                    id TEXT PRIMARY KEY,
                    purpose TEXT NOT NULL,
                    wrapped BLOB NOT NULL,
                    created_at REAL NOT NULL
                );
                -- One row per dispense: where its current version stands and how to find it.
                CREATE TABLE dispense (
                    id TEXT PRIMARY KEY,
                    dispense_id_index BLOB NOT NULL UNIQUE,
                    current_version INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    patient_index BLOB NOT NULL,
                    din_index BLOB,
                    lot_index BLOB,
                    dispensed_at REAL NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE INDEX dispense_by_patient ON dispense(patient_index, dispensed_at);
                CREATE INDEX dispense_by_din ON dispense(din_index, dispensed_at);
                -- Every version ever recorded; payload is sealed, bound to (id, version, key).
                CREATE TABLE dispense_version (
                    dispense_id TEXT NOT NULL REFERENCES dispense(id),
                    version INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    recorded_at REAL NOT NULL,
                    key_id TEXT NOT NULL REFERENCES key(id),
                    payload BLOB NOT NULL,
                    PRIMARY KEY (dispense_id, version)
                ) WITHOUT ROWID;
                -- Versions waiting for (or done with) upload to the central record.
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    dispense_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    UNIQUE (dispense_id, version)
                );
                CREATE INDEX outbox_by_state ON outbox(state, seq);
                -- Append-only, hash-chained audit trail.
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    uid INTEGER NOT NULL,
                    pid INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    action TEXT NOT NULL,
                    dispense_id TEXT,
                    outcome INTEGER NOT NULL,
                    patient_ref TEXT,
                    prev_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                CREATE INDEX audit_by_time ON audit(at);
                """)
        }
        migrator.registerMigration("v2-upload") { db in
            try db.execute(sql: """
                -- Non-identifying summary of the last failure (HTTP status, FHIR issue codes) stays in
                -- last_error; the server's full OperationOutcome may echo patient data, so it is sealed.
                ALTER TABLE outbox ADD COLUMN error_payload BLOB;
                ALTER TABLE outbox ADD COLUMN error_key_id TEXT;
                ALTER TABLE outbox ADD COLUMN sent_at REAL;
                -- Central profiles kept at hand, sealed like records, found by the patient's blind index.
                CREATE TABLE central_profile (
                    patient_index BLOB PRIMARY KEY,
                    fetched_at REAL NOT NULL,
                    key_id TEXT NOT NULL,
                    payload BLOB NOT NULL
                ) WITHOUT ROWID;
                -- One row rewritten by health checks: a real commit, so a full disk shows.
                CREATE TABLE health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at REAL NOT NULL);
                """)
        }
        migrator.registerMigration("v3-normalised-lot-index") { db in
            try recomputeLotIndexes(db, masterKey: masterKey, logger: logger)
        }
        migrator.registerMigration("v4-key-rotation") { db in
            try db.execute(sql: """
                -- A data key a rotation replaced: it no longer seals; it is deleted once no payload names it.
                ALTER TABLE key ADD COLUMN retired_at REAL;
                -- The rotation finds the payloads still sealed under a retired key by these.
                CREATE INDEX dispense_version_by_key ON dispense_version(key_id);
                CREATE INDEX outbox_by_error_key ON outbox(error_key_id) WHERE error_key_id IS NOT NULL;
                CREATE INDEX central_profile_by_key ON central_profile(key_id);
                -- The last data-key rotation: what it replaced, how far it went; one row.
                CREATE TABLE key_rotation (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    from_key_id TEXT NOT NULL,
                    to_key_id TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    total INTEGER NOT NULL,
                    rewritten INTEGER NOT NULL DEFAULT 0,
                    unreadable INTEGER NOT NULL DEFAULT 0,
                    finished_at REAL
                );
                """)
        }
        migrator.registerMigration("v5-versions-by-patient") { db in
            try fileVersionsByPatient(db, logger: logger)
        }
        migrator.registerMigration("v6-store-summary") { db in
            try keepStoreSummary(db)
        }
        migrator.registerMigration("v7-outbox-summary") { db in
            try keepOutboxSummary(db)
        }
        migrator.registerMigration("v8-audit-anchor") { db in
            try AuditAnchor.createTable(db)
        }
        return migrator
    }

    /// Lot blind indexes used to be taken over the lot as typed, so a recall for "ab-123"
    /// missed a fill recorded as "AB123". Recomputes every dispense's lot index over
    /// `LotNumber.normalized` from its current version's sealed lot. Runs once, inside the
    /// migration's transaction. A record that fails authentication keeps its old index and is
    /// logged by id (the profile and recall requests report it as they do today).
    static func recomputeLotIndexes(_ db: Database, masterKey: SecretKey, logger: Logger) throws {
        // A new data folder has no keys yet, and so no records.
        guard let keys = try StoreKeys.existing(db, master: masterKey) else { return }
        // Versions as this migration finds them: filed by dispense id (v5 files them by patient
        // later), so the store's own reads, written for the newest layout, are not used here.
        let rows = try Row.fetchAll(db, sql: """
            SELECT v.dispense_id, v.version, v.status, v.recorded_at, v.key_id, v.payload, NULL AS sync_state,
                   (SELECT MAX(n.version) FROM dispense_version n WHERE n.dispense_id = d.id) AS newest
              FROM dispense d JOIN dispense_version v ON v.dispense_id = d.id AND v.version = d.current_version
             WHERE d.lot_index IS NOT NULL ORDER BY d.id
            """)
        var updated = 0
        for row in rows {
            let id: String = row["dispense_id"]
            let record: DispenseRecord
            do {
                record = try Store.currentRecord(from: row, keys: keys)
            } catch {
                logger.error("Lot index left as it was: the record failed its integrity check",
                             metadata: ["record.id": "\(id)", "migration": "v3-normalised-lot-index"])
                continue
            }
            guard let lot = record.dispense.lot else { continue }
            try db.execute(sql: "UPDATE dispense SET lot_index = ? WHERE id = ?", arguments: [keys.lotIndex(lot), id])
            updated += 1
        }
        logger.notice("Lot indexes recomputed over normalised lot numbers",
                      metadata: ["migration": "v3-normalised-lot-index", "records": "\(updated)"])
    }
}
