import GRDB

extension Schema {
    /// The triggers that keep `store_summary` (`pillbox verify` checks they are there).
    static let storeSummaryTriggers = [
        "store_summary_dispense_added", "store_summary_dispense_removed", "store_summary_version_added",
    ]

    /// What `/v1/status` asks of the whole store, kept up to date instead of counted on each
    /// call (at 1M records the counts and maxima read every row: about 0.7 s of CPU per status):
    /// `store_summary`'s one row holds the number of dispenses and the newest version's
    /// recording time, kept by triggers in the same transactions as the rows they count; an
    /// index on `outbox.sent_at` answers the last upload. The migration counts once, inside its
    /// transaction. docs/storage.md, "`store_summary`".
    static func keepStoreSummary(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE store_summary (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                dispenses INTEGER NOT NULL,
                newest_recorded_at REAL
            );
            INSERT INTO store_summary (id, dispenses, newest_recorded_at)
                VALUES (1, (SELECT COUNT(*) FROM dispense), (SELECT MAX(recorded_at) FROM dispense_version));
            CREATE TRIGGER store_summary_dispense_added AFTER INSERT ON dispense
                BEGIN UPDATE store_summary SET dispenses = dispenses + 1 WHERE id = 1; END;
            CREATE TRIGGER store_summary_dispense_removed AFTER DELETE ON dispense
                BEGIN UPDATE store_summary SET dispenses = dispenses - 1 WHERE id = 1; END;
            CREATE TRIGGER store_summary_version_added AFTER INSERT ON dispense_version
                BEGIN
                    UPDATE store_summary SET newest_recorded_at = MAX(COALESCE(newest_recorded_at, NEW.recorded_at), NEW.recorded_at)
                     WHERE id = 1;
                END;
            CREATE INDEX outbox_by_sent_at ON outbox(sent_at) WHERE sent_at IS NOT NULL;
            """)
    }
}
