import GRDB

/// Why the store could not write, read from SQLite's result code. Never holds patient data:
/// only result codes and fixed text.
package struct StorageFault: Sendable, Equatable {
    /// How the daemon must react.
    package enum Kind: String, Sendable, Equatable {
        /// ENOSPC (`SQLITE_FULL`): transient; writes resume by themselves once space is freed.
        case diskFull = "disk-full"
        /// A failed `fsync`/`fdatasync` or another I/O error (`SQLITE_IOERR_*`): the page cache can
        /// no longer be trusted, so the store stops writing until the daemon is restarted.
        case failed
        /// Any other storage condition (read-only file system, locked or unopenable file):
        /// transient, like a full disk.
        case unavailable
    }

    package var kind: Kind
    /// The cause in words, with SQLite's code, e.g. `ENOSPC: no space left on the disk (SQLITE_FULL, 13)`.
    package var cause: String

    package init(kind: Kind, cause: String) {
        self.kind = kind
        self.cause = cause
    }

    /// The storage condition behind `error`, or nil when `error` is not about storage (a
    /// constraint, a `StoreError` of the work itself, a cancellation).
    package static func classify(_ error: any Error) -> StorageFault? {
        guard let error = error as? DatabaseError else { return nil }
        let extended = error.extendedResultCode.rawValue
        switch error.resultCode {
        case .SQLITE_FULL:
            return StorageFault(kind: .diskFull, cause: "ENOSPC: no space left on the disk (SQLITE_FULL, \(extended))")
        case .SQLITE_IOERR where extended == 3082:  // SQLITE_IOERR_NOMEM: memory, not the disk
            return StorageFault(kind: .unavailable, cause: "out of memory (SQLITE_IOERR_NOMEM, 3082)")
        case .SQLITE_IOERR:
            return StorageFault(kind: .failed, cause: ioErrorCause(extended))
        case .SQLITE_READONLY:
            return StorageFault(kind: .unavailable, cause: "the database file is read-only (SQLITE_READONLY, \(extended))")
        case .SQLITE_CANTOPEN:
            return StorageFault(kind: .unavailable, cause: "the database file cannot be opened (SQLITE_CANTOPEN, \(extended))")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StorageFault(kind: .unavailable, cause: "the database is locked by another program (SQLite \(extended))")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StorageFault(kind: .unavailable, cause: "the database file is damaged (SQLite \(extended))")
        case .SQLITE_NOMEM:
            return StorageFault(kind: .unavailable, cause: "out of memory (SQLITE_NOMEM, 7)")
        default:
            return nil
        }
    }

    /// Names the I/O operation SQLite reported as failing.
    static func ioErrorCause(_ extended: Int32) -> String {
        let names: [Int32: (String, String)] = [
            1034: ("fsync failed", "SQLITE_IOERR_FSYNC"),
            1290: ("fsync of the data folder failed", "SQLITE_IOERR_DIR_FSYNC"),
            778: ("write failed", "SQLITE_IOERR_WRITE"),
            266: ("read failed", "SQLITE_IOERR_READ"),
            522: ("short read", "SQLITE_IOERR_SHORT_READ"),
            1546: ("truncate failed", "SQLITE_IOERR_TRUNCATE"),
            1802: ("fstat failed", "SQLITE_IOERR_FSTAT"),
            4874: ("shared-memory file could not grow", "SQLITE_IOERR_SHMSIZE"),
            4618: ("shared-memory file could not be opened", "SQLITE_IOERR_SHMOPEN"),
            5386: ("shared-memory file could not be mapped", "SQLITE_IOERR_SHMMAP"),
        ]
        if let (what, name) = names[extended] { return "I/O error: \(what) (\(name), \(extended))" }
        return "I/O error (SQLITE_IOERR, \(extended))"
    }
}
