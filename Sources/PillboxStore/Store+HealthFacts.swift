import Foundation
import GRDB
import PillboxModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What `pillbox status` and `pillbox doctor` need beyond the counts of `StoreStatistics`:
/// ages and ids only, nothing identifying.
package struct StoreHealthFacts: Sendable, Equatable {
    /// One key of the data folder's `key` table (wrapped by the master key).
    package struct Key: Sendable, Equatable {
        package var id: String
        package var purpose: String
        package var createdAt: Date
    }

    /// When the newest version was recorded (the clock must not be before it); nil when none.
    package var newestRecordAt: Date?
    /// When the central record last accepted a version (the newest `sent_at`); nil when never.
    package var lastUploadAt: Date?
    /// Cached central profiles.
    package var cachedProfiles: Int
    package var oldestProfileFetchedAt: Date?
    package var newestProfileFetchedAt: Date?
    /// Every key of the `key` table, oldest first.
    package var keys: [Key]
}

/// Free and total bytes of a filesystem, as `statvfs(3)` reports them for unprivileged users.
package struct DiskSpace: Sendable, Equatable {
    package var freeBytes: Int64
    package var totalBytes: Int64

    /// The filesystem holding `path`; nil when `statvfs` fails.
    package static func of(_ path: String) -> DiskSpace? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let unit = Int64(info.f_frsize)
        return DiskSpace(freeBytes: Int64(info.f_bavail) * unit, totalBytes: Int64(info.f_blocks) * unit)
    }
}

extension Store {
    /// Ages and key ids, read in one snapshot.
    package func healthFacts() async throws -> StoreHealthFacts {
        try await read { db in
            // Kept by a trigger and read from an index (`Schema.keepStoreSummary`), not from every row.
            let newest = try Double.fetchOne(db, sql: "SELECT newest_recorded_at FROM store_summary WHERE id = 1")
            let sent = try Double.fetchOne(db, sql: "SELECT MAX(sent_at) FROM outbox WHERE sent_at IS NOT NULL")
            let profiles = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(fetched_at) AS oldest, MAX(fetched_at) AS newest FROM central_profile")
            let keys = try Row.fetchAll(db, sql: "SELECT id, purpose, created_at FROM key ORDER BY created_at, id").map { row in
                StoreHealthFacts.Key(id: row["id"], purpose: row["purpose"],
                                     createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
            let oldest: Double? = profiles?["oldest"]
            let newestProfile: Double? = profiles?["newest"]
            return StoreHealthFacts(
                newestRecordAt: newest.map(Date.init(timeIntervalSince1970:)),
                lastUploadAt: sent.map(Date.init(timeIntervalSince1970:)),
                cachedProfiles: profiles?["n"] ?? 0,
                oldestProfileFetchedAt: oldest.map(Date.init(timeIntervalSince1970:)),
                newestProfileFetchedAt: newestProfile.map(Date.init(timeIntervalSince1970:)),
                keys: keys)
        }
    }

    /// Free space of the filesystem holding the data folder; nil when it cannot be read.
    package func diskSpace() -> DiskSpace? {
        DiskSpace.of((path as NSString).deletingLastPathComponent)
    }
}
