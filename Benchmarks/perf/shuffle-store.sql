-- Rewrites a bench store's `dispense` and `outbox` rows in random order, as a pharmacy's store is
-- after years of fills from many patients (the bench seeds each patient's fills together).
-- Before v5 layout only (the index definitions are the v1-v4 ones). Usage:
--   sqlite3 COPY/data/pillbox.sqlite < Benchmarks/perf/shuffle-store.sql   (about 40 s at 1M)
PRAGMA foreign_keys=OFF;
BEGIN;
CREATE TABLE dnew (
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
INSERT INTO dnew SELECT * FROM dispense ORDER BY random();
DROP TABLE dispense;
ALTER TABLE dnew RENAME TO dispense;
CREATE INDEX dispense_by_patient ON dispense(patient_index, dispensed_at);
CREATE INDEX dispense_by_din ON dispense(din_index, dispensed_at);
CREATE TABLE onew (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    dispense_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    next_attempt_at REAL NOT NULL,
    last_error TEXT, error_payload BLOB, error_key_id TEXT, sent_at REAL,
    UNIQUE (dispense_id, version)
);
INSERT INTO onew (dispense_id, version, state, attempts, created_at, next_attempt_at, last_error, error_payload, error_key_id, sent_at)
  SELECT dispense_id, version, state, attempts, created_at, next_attempt_at, last_error, error_payload, error_key_id, sent_at FROM outbox ORDER BY random();
DROP TABLE outbox;
ALTER TABLE onew RENAME TO outbox;
CREATE INDEX outbox_by_state ON outbox(state, seq);
CREATE INDEX outbox_by_error_key ON outbox(error_key_id) WHERE error_key_id IS NOT NULL;
COMMIT;
