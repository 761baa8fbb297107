import GRDB

extension Schema {
    /// The triggers that keep `store_summary` (`pillbox verify` checks they are there): v6's
    /// on the dispenses, v7's on the outbox.
    static let storeSummaryTriggers = [
        "store_summary_dispense_added", "store_summary_dispense_removed", "store_summary_version_added",
    ] + outboxSummaryTriggers
    static let outboxSummaryTriggers = [
        "store_summary_outbox_added", "store_summary_outbox_changed", "store_summary_outbox_removed",
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

    /// `/v1/status`'s upload figures kept the same way (`v7-outbox-summary`): the number of
    /// pending and of failed (dead-lettered) outbox entries, kept by triggers on every insert,
    /// change of state and removal, in the transactions that make them. Counting cost about
    /// 0.27 µs per pending entry on every status: 250 ms with a million waiting. The
    /// migration counts once, inside its transaction. docs/storage.md, "`store_summary`".
    static func keepOutboxSummary(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE store_summary ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE store_summary ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
            UPDATE store_summary SET pending = (SELECT COUNT(*) FROM outbox WHERE state = 'pending'),
                                     failed = (SELECT COUNT(*) FROM outbox WHERE state = 'failed')
             WHERE id = 1;
            CREATE TRIGGER store_summary_outbox_added AFTER INSERT ON outbox
                BEGIN
                    UPDATE store_summary SET pending = pending + (NEW.state = 'pending'), failed = failed + (NEW.state = 'failed')
                     WHERE id = 1;
                END;
            CREATE TRIGGER store_summary_outbox_changed AFTER UPDATE OF state ON outbox WHEN OLD.state IS NOT NEW.state
                BEGIN
                    UPDATE store_summary SET pending = pending + (NEW.state = 'pending') - (OLD.state = 'pending'),
                                             failed = failed + (NEW.state = 'failed') - (OLD.state = 'failed')
                     WHERE id = 1;
                END;
            CREATE TRIGGER store_summary_outbox_removed AFTER DELETE ON outbox
                BEGIN
                    UPDATE store_summary SET pending = pending - (OLD.state = 'pending'), failed = failed - (OLD.state = 'failed')
                     WHERE id = 1;
                END;
            """)
    }
}
