import PillboxModel
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

/// Maps store failures to problems; a store failure means the change did not happen.
func mapStoreError<T>(_ work: () async throws -> T) async throws -> T {
    do {
        return try await work()
    } catch let error as StoreError {
        switch error.code {
        case .invalidCursor: throw Problem.badQuery("cursor", "is not a cursor this daemon issued; start again without it")
        case .integrity:
            throw Problem(.internalServerError, type: "integrity", title: "Stored record failed authentication",
                          detail: "a stored record failed its integrity check; call a technician (the daemon log names the record id)")
        case .diskFull: throw Problem.diskFull(cause: error.message)
        case .storageFailed: throw Problem.storageFailed(cause: error.message)
        case .wrongKey, .io:
            throw Problem(.serviceUnavailable, type: "store-unavailable", title: "Store unavailable",
                          detail: "the local store could not complete the request; nothing was changed; retry, and call a technician if it persists")
        }
    }
}
