import Foundation
import NIOCore
import PillboxStore
import Synchronization

/// The parts of `/v1/status` read from disk on each call (the store's health facts: keys,
/// newest record, last upload, cached profile ages; free space from `statvfs`; the last
/// backup from `last-backup.json`), kept for `statusCacheSeconds` so that a monitor polling
/// every second does not read files each time.
///
/// Never cached: the counts (records, queue, dead letters), the central record's state and
/// the storage state (ok, disk full, failed), which the status reads from memory or one
/// query on every call. A backup made through the daemon drops the cache, so the next
/// status shows it. A read that fails is not kept. See docs/configuration.md,
/// `statusCacheSeconds`.
package final class StatusFactsCache: Sendable {
    /// What one read of the facts found.
    package struct Facts: Sendable, Equatable {
        package var health: StoreHealthFacts
        package var disk: DiskSpace?
        package var lastBackup: LastBackup?
        package var backupOverdue: Bool?
    }

    private struct State {
        var facts: Facts?
        /// When `facts` was read (before the read started), in `uptime` nanoseconds.
        var readAt: UInt64 = 0
        /// Bumped by `invalidate()`: a read that began before it is not kept.
        var generation: UInt64 = 0
    }

    /// The production default of `statusCacheSeconds`.
    package static let defaultSeconds: Double = 2

    private let lifetime: UInt64
    private let uptime: @Sendable () -> UInt64
    private let state = Mutex(State())

    /// Facts are kept `seconds` (0: read on every call); `uptime` is a monotonic clock in
    /// nanoseconds (injected so tests do not sleep).
    package init(seconds: Double, uptime: @escaping @Sendable () -> UInt64 = { NIODeadline.now().uptimeNanoseconds }) {
        lifetime = UInt64(max(0, seconds) * 1e9)
        self.uptime = uptime
    }

    /// The kept facts while younger than the setting, else those `read` returns (then kept).
    func facts(_ read: () async throws -> Facts) async throws -> Facts {
        let now = uptime()
        let (kept, generation) = state.withLock { state -> (Facts?, UInt64) in
            guard let facts = state.facts, now &- state.readAt < lifetime else { return (nil, state.generation) }
            return (facts, state.generation)
        }
        if let kept { return kept }
        let fresh = try await read()
        state.withLock { state in
            guard state.generation == generation else { return }
            state.facts = fresh
            state.readAt = now
        }
        return fresh
    }

    /// Drops the kept facts (something they report changed): the next status reads them.
    package func invalidate() {
        state.withLock { state in
            state.facts = nil
            state.generation += 1
        }
    }
}
