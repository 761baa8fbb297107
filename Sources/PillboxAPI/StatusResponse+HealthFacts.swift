import PillboxModel
import PillboxStore
import PillboxWire

extension StatusResponse {
    /// Fills the health parts of the status (ages, keys, disk) from the store's facts.
    mutating func addHealthFacts(_ facts: StoreHealthFacts, disk: DiskSpace?) {
        newestRecordAt = facts.newestRecordAt.map(Timestamps.format)
        lastUploadAt = facts.lastUploadAt.map(Timestamps.format)
        centralProfiles = CachedProfiles(count: facts.cachedProfiles,
                                         oldestFetchedAt: facts.oldestProfileFetchedAt.map(Timestamps.format),
                                         newestFetchedAt: facts.newestProfileFetchedAt.map(Timestamps.format))
        keys = facts.keys.map { Key(id: $0.id, purpose: $0.purpose, createdAt: Timestamps.format($0.createdAt)) }
        self.disk = disk.map { Disk(freeBytes: $0.freeBytes, totalBytes: $0.totalBytes) }
    }
}
