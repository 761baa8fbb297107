/// What the store knows about its storage, for `/v1/health`, `/v1/status` and the log.
/// Built from the outcome of real commits and, when the store has been idle, of a probe
/// commit run at most once per probe interval (docs/storage.md, "Storage health").
package struct StorageReport: Sendable, Equatable, Codable {
    /// The storage's state.
    package enum State: String, Sendable, Equatable, Codable {
        /// The last commit (a write or a probe) succeeded.
        case ok
        /// The last commit failed with ENOSPC; writes resume by themselves once space is freed.
        case diskFull = "disk-full"
        /// The last commit failed for another transient reason (read-only, locked, out of memory).
        case unavailable
        /// A failed fsync or another I/O error: the store refuses every write until the
        /// daemon is restarted (latched). Reads go on.
        case failed
    }

    package var state: State
    /// The cause, with SQLite's code (e.g. `ENOSPC: no space left on the disk (SQLITE_FULL, 13)`);
    /// nil when `ok`.
    package var cause: String?
    /// RFC 3339 time the current non-ok state began; nil when `ok`.
    package var since: String?
    /// RFC 3339 time of the last successful commit (a write or a probe) since the daemon started.
    package var lastCommitAt: String?
    /// Probe commits run since the daemon started (health checks that could not answer from
    /// a recent real write).
    package var probeCommits: Int

    package init(state: State, cause: String? = nil, since: String? = nil, lastCommitAt: String? = nil, probeCommits: Int = 0) {
        self.state = state
        self.cause = cause
        self.since = since
        self.lastCommitAt = lastCommitAt
        self.probeCommits = probeCommits
    }

    /// True when writes are expected to commit.
    package var isWritable: Bool { state == .ok }
}
