import PillboxStore

extension Problem {
    /// 503 for a write refused because the disk is full; `cause` names ENOSPC and SQLite's code.
    static func diskFull(cause: String) -> Problem {
        Problem(.serviceUnavailable, type: "disk-full", title: "Disk full",
                detail: "the local store cannot write: \(cause); nothing was changed; reads still work; "
                    + "free space on the data folder's disk and writes resume by themselves")
    }

    /// 503 for a write refused because the storage failed (a failed fsync or I/O error).
    static func storageFailed(cause: String) -> Problem {
        Problem(.serviceUnavailable, type: "storage-failed", title: "Storage failed",
                detail: "a write to the disk failed: \(cause); writes are stopped to protect the records already "
                    + "acknowledged; nothing of this request was changed; reads still work; call a technician "
                    + "to check the disk, then restart pillboxd")
    }

    /// The 503 `/v1/health` answers for a storage state that is not `ok`.
    static func storage(_ report: StorageReport) -> Problem {
        let cause = report.cause ?? "unknown cause"
        switch report.state {
        case .ok, .unavailable:
            return Problem(.serviceUnavailable, type: "store-unavailable", title: "Store not writable",
                           detail: "the local store cannot commit writes: \(cause); reads still work; "
                               + "check the daemon log")
        case .diskFull:
            return diskFull(cause: cause)
        case .failed:
            return storageFailed(cause: cause)
        }
    }
}
