import Foundation
import GRDB
import PillboxModel

extension Store {
    /// Records many dispenses in **one** transaction, each through `recordDispense`'s own
    /// transaction body (`intake`): the same `dispense` row and blind indexes, the same sealed
    /// version 1, the same pending outbox entry, the same audit entry (one per dispense, from
    /// its `RequestAudit`, chained in order), the same replay and conflict rules. Returns each
    /// dispense's result, in order. Only the number of commits differs: one fsync for the
    /// whole array instead of one per group commit.
    ///
    /// **For `pillbox-bench` only** (seeding a store of 1,000,000 records in minutes instead
    /// of hours); the daemon never calls it. `audit` gives each dispense's request audit, as
    /// the API's route would (`concerns(patient:)` already called when a real request would
    /// have). `cacheMebibytes`, when given, sets the writer connection's page cache (`PRAGMA
    /// cache_size`) to that size for the rest of this store's life: random keys (record ids,
    /// blind indexes) touch pages all over a large store's indexes. A failure rolls back the
    /// whole array.
    package func bulkRecordDispenses(_ dispenses: [Dispense], now: Date, cacheMebibytes: Int? = nil,
                                     audit: (Dispense) -> RequestAudit) async throws -> [IntakeResult] {
        let keys = self.keys
        let logger = self.logger
        let audits = dispenses.map(audit)
        let results = try await write { db -> [IntakeResult] in
            if let cacheMebibytes {
                try db.execute(sql: "PRAGMA cache_size = \(-max(2, cacheMebibytes) * 1024)")
            }
            return try zip(dispenses, audits).map { dispense, audit in
                try Self.intake(db, keys: keys, prepared: PreparedIntake(dispense, keys: keys, now: now), audit: audit, logger: logger)
            }
        }
        for audit in audits { audit.markRecorded() }
        return results
    }
}
