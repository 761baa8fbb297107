import Foundation
import GRDB
import PillboxModel

/// Figures about the store for `GET /v1/status` and metrics. Nothing identifying.
package struct StoreStatistics: Sendable, Equatable {
    /// Dispenses recorded (not versions).
    package var recordCount: Int
    /// Versions waiting for upload.
    package var pendingCount: Int
    /// When the oldest pending version was recorded.
    package var oldestPendingAt: Date?
    /// Versions the central record refused (dead letters).
    package var failedCount: Int
    /// Bytes on disk: database, WAL and shared-memory files.
    package var databaseBytes: Int64
}

extension Store {
    /// Counts and sizes, read in one snapshot.
    package func statistics() async throws -> StoreStatistics {
        let path = self.path
        var stats = try await read { db in
            // Kept by triggers (`Schema.keepStoreSummary`): counting would read every row.
            let records = try Int.fetchOne(db.cachedStatement(sql: "SELECT dispenses FROM store_summary WHERE id = 1"))
                ?? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense") ?? 0
            let outbox = try Self.outboxCounts(db)
            return StoreStatistics(recordCount: records, pendingCount: outbox.pending, oldestPendingAt: outbox.oldestPending,
                                   failedCount: outbox.failed, databaseBytes: 0)
        }
        stats.databaseBytes = ["", "-wal", "-shm"].reduce(Int64(0)) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
        return stats
    }

    /// The storage's state for `/v1/health`, answered from the outcome of recent commits.
    /// Runs a probe commit (rewriting the one row of `health_probe`) only when no commit
    /// succeeded or failed on storage within the probe interval, and at most one per interval
    /// whatever the number of callers; other callers meanwhile get the last known state.
    /// Never probes once the store is latched after a failed fsync.
    package func checkHealth(now: Date = Date()) async -> StorageReport {
        if health.beginProbeIfDue() {
            _ = await isWritable(now: now)
        }
        return health.report()
    }

    /// The last known storage state, without any I/O (for `/v1/status`).
    package func storageReport() -> StorageReport {
        health.report()
    }

    /// Commits a probe write now (unpaced): true when it committed durably. Its outcome
    /// updates the storage state like any write's.
    package func isWritable(now: Date = Date()) async -> Bool {
        do {
            try await write { db in try Self.probe(db, now: now) }
            return true
        } catch {
            return false
        }
    }

    /// True when a read transaction on the read-only pool of short reads completes, on the
    /// calling thread (for `/v1/health`: the store answers the reads requests make, without a
    /// hop to a GRDB queue and back).
    package func answersShortReads() -> Bool {
        (try? shortRead { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM key")) }) != nil
    }

    /// True when a read transaction completes (for the watchdog: the store answers).
    package func answersReads() async -> Bool {
        do {
            _ = try await read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM key")) }
            return true
        } catch {
            return false
        }
    }

    /// True when writes are waiting and none has completed for `threshold` (the writer is
    /// stuck, not failing: failing writes complete with an error).
    package func writerStalled(longerThan threshold: Duration) -> Bool {
        health.writerStalled(longerThan: threshold)
    }

    /// The start-up commit: proves the store writable when it opens, or records why not
    /// without failing the open (a daemon on a full disk still serves reads).
    func probeAtOpen(now: Date) {
        health.writeStarted()
        do {
            try pool.write { db in try Self.probe(db, now: now) }
            health.writeSucceeded()
        } catch {
            health.writeFailed(StorageFault.classify(error))
        }
    }

    /// The probe commit's one statement: rewrites the one row of `health_probe`.
    static func probe(_ db: Database, now: Date) throws {
        try db.execute(sql: "INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at",
                       arguments: [now.timeIntervalSince1970])
    }
}
