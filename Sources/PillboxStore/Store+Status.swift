import Foundation
import GRDB

/// Figures about the store for `GET /v1/status` and metrics. Nothing identifying.
public struct StoreStatistics: Sendable, Equatable {
    /// Dispenses recorded (not versions).
    public var recordCount: Int
    /// Versions waiting for upload.
    public var pendingCount: Int
    /// When the oldest pending version was recorded.
    public var oldestPendingAt: Date?
    /// Versions the central record refused (dead letters).
    public var failedCount: Int
    /// Bytes on disk: database, WAL and shared-memory files.
    public var databaseBytes: Int64
}

extension Store {
    /// Counts and sizes, read in one snapshot.
    public func statistics() async throws -> StoreStatistics {
        let path = self.path
        var stats = try await read { db in
            let records = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense") ?? 0
            let pending = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE state = 'pending'")
            let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'failed'") ?? 0
            let oldest: Double? = pending?["oldest"]
            return StoreStatistics(recordCount: records, pendingCount: pending?["n"] ?? 0,
                                   oldestPendingAt: oldest.map(Date.init(timeIntervalSince1970:)),
                                   failedCount: failed, databaseBytes: 0)
        }
        stats.databaseBytes = ["", "-wal", "-shm"].reduce(Int64(0)) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
        return stats
    }

    /// True when a write to the database file commits (used by `/v1/health` and the
    /// watchdog): a real, durable commit, so a full or read-only disk shows.
    public func isWritable(now: Date = Date()) async -> Bool {
        do {
            try await write { db in
                try db.execute(sql: """
                    INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at
                    """, arguments: [now.timeIntervalSince1970])
            }
            return true
        } catch {
            return false
        }
    }
}
