/// Why a store operation failed. A value with a code and a readable description that
/// never contains patient data.
package struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    package enum Code: String, Sendable, Equatable {
        /// A paging cursor that this store did not issue.
        case invalidCursor
        /// The master key does not open this data folder's keys.
        case wrongKey
        /// A stored row failed authentication: tampered, swapped or corrupted.
        case integrity
        /// The database could not be opened, read or written.
        case io
        /// The disk is full (ENOSPC, `SQLITE_FULL`): nothing was written; writes resume by
        /// themselves once space is freed. The message is the cause, with SQLite's code.
        case diskFull
        /// A write to the disk failed (a failed fsync or another I/O error): nothing was
        /// written, and the store refuses every write until the daemon is restarted. The
        /// message is the cause of the first failure, with SQLite's code.
        case storageFailed
    }

    package var code: Code
    /// Readable explanation, safe to log and to show (no patient data).
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "\(code.rawValue): \(message)" }
}
