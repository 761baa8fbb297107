// The parts of `GET /v1/status` that `pillbox status` and `pillbox doctor` judge health by.

extension StatusResponse {
    /// Free space of the filesystem holding the data folder (`statvfs`, as the daemon's user sees it).
    package struct Disk: Sendable, Equatable, Codable {
        package var freeBytes: Int64
        package var totalBytes: Int64

        package init(freeBytes: Int64, totalBytes: Int64) {
            self.freeBytes = freeBytes
            self.totalBytes = totalBytes
        }

        /// Free share in percent (0 to 100); 100 when the total is unknown (0).
        package var freePercent: Double {
            totalBytes > 0 ? Double(freeBytes) * 100 / Double(totalBytes) : 100
        }
    }

    /// One key of the data folder (data, index or audit key, wrapped by the master key).
    package struct Key: Sendable, Equatable, Codable {
        package var id: String
        /// `data`, `index` or `audit`.
        package var purpose: String
        /// RFC 3339 time the key was made.
        package var createdAt: String

        package init(id: String, purpose: String, createdAt: String) {
            self.id = id
            self.purpose = purpose
            self.createdAt = createdAt
        }
    }

    /// The central profiles kept at hand for outages.
    package struct CachedProfiles: Sendable, Equatable, Codable {
        package var count: Int
        /// RFC 3339 time the oldest / newest cached profile was fetched; absent when none.
        package var oldestFetchedAt: String?
        package var newestFetchedAt: String?

        package init(count: Int, oldestFetchedAt: String? = nil, newestFetchedAt: String? = nil) {
            self.count = count
            self.oldestFetchedAt = oldestFetchedAt
            self.newestFetchedAt = newestFetchedAt
        }
    }
}
