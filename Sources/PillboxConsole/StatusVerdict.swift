import Foundation
import PillboxModel
import PillboxWire

/// Whether a box is healthy, judged from its `/v1/status` answer by one pure function, so
/// every rule is testable without a daemon. `pillbox status` exits with `level.rawValue`.
package struct StatusVerdict: Sendable, Equatable {
    /// Exit codes of `pillbox status`.
    package enum Level: Int32, Sendable, Comparable {
        case healthy = 0
        case degraded = 1
        case down = 2

        package static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    /// Why the box is not healthy, one entry per rule that fired.
    package enum Reason: Sendable, Equatable {
        /// The daemon did not answer (with the client's error).
        case daemonDown(String)
        /// The store refuses writes (`failed`, latched until restart; `disk-full`).
        case storeUnwritable(StorageReport.State)
        /// A transient storage condition (`unavailable`).
        case storageNotOK(StorageReport.State)
        case deadLetters(Int)
        /// Central exchanges failing for longer than the threshold, since this time.
        case centralUnreachable(since: Date)
        /// The central record answers but takes nothing (`systemic-refusal`, `credentials`, `configuration`).
        case centralRefuses(String)
        case diskLow(freePercent: Double)
        case auditEntriesDropped(Int)
        /// The last backup (or, before the first, the data folder's creation) is older than
        /// the daemon's `backup.maxAgeHours`; the time of the last one, nil when none.
        case backupOverdue(lastAt: String?)
        /// A caller (uid) was refused requests by the rate limit within
        /// `StatusVerdict.rateLimitedWindowSeconds`: a program is likely looping.
        case clientRateLimited(uid: UInt32, refused: Int, lastAt: Date)
    }

    /// How long after its latest refusal the rate limit keeps the box degraded.
    package static let rateLimitedWindowSeconds: Double = 600

    /// Limits of the rules (`pillbox status` options).
    package struct Thresholds: Sendable, Equatable {
        /// Central exchanges failing for longer than this is degraded.
        package var centralOutageSeconds: Int = 3600
        /// Less free disk than this share (percent) of the data folder's filesystem is degraded.
        package var minFreeDiskPercent: Double = 10

        package init(centralOutageSeconds: Int = 3600, minFreeDiskPercent: Double = 10) {
            self.centralOutageSeconds = centralOutageSeconds
            self.minFreeDiskPercent = minFreeDiskPercent
        }
    }

    package var level: Level
    package var reasons: [Reason]

    package init(level: Level, reasons: [Reason]) {
        self.level = level
        self.reasons = reasons
    }

    /// The verdict when the daemon cannot be asked.
    package static func down(_ error: String) -> StatusVerdict {
        StatusVerdict(level: .down, reasons: [.daemonDown(error)])
    }

    /// The health rules. Each appends its reason with the level it implies; the verdict is
    /// the worst level among them (healthy when none fired).
    package static func judge(_ status: StatusResponse, now: Date, thresholds: Thresholds = Thresholds()) -> StatusVerdict {
        var reasons: [(Level, Reason)] = []
        switch status.storage.state {
        case .ok: break
        case .failed, .diskFull: reasons.append((.down, .storeUnwritable(status.storage.state)))
        case .unavailable: reasons.append((.degraded, .storageNotOK(status.storage.state)))
        }
        if status.deadLetters > 0 { reasons.append((.degraded, .deadLetters(status.deadLetters))) }
        let central = status.central
        if central.configured {
            if let problem = central.problem { reasons.append((.degraded, .centralRefuses(problem))) }
            if central.reachable == false {
                let started = now.addingTimeInterval(-Double(status.uptimeSeconds))
                let since = (central.failingSince ?? central.lastSuccessAt).flatMap(Timestamps.parseRFC3339) ?? started
                if now.timeIntervalSince(since) > Double(thresholds.centralOutageSeconds) {
                    reasons.append((.degraded, .centralUnreachable(since: since)))
                }
            }
        }
        if let disk = status.disk, disk.totalBytes > 0, disk.freePercent < thresholds.minFreeDiskPercent {
            reasons.append((.degraded, .diskLow(freePercent: disk.freePercent)))
        }
        if status.auditEntriesDropped > 0 { reasons.append((.degraded, .auditEntriesDropped(status.auditEntriesDropped))) }
        if let limited = status.rateLimited, let at = Timestamps.parseRFC3339(limited.lastAt),
           now.timeIntervalSince(at) <= rateLimitedWindowSeconds {
            reasons.append((.degraded, .clientRateLimited(uid: limited.lastUid, refused: limited.refused, lastAt: at)))
        }
        if status.backupOverdue == true { reasons.append((.degraded, .backupOverdue(lastAt: status.lastBackupAt))) }
        return StatusVerdict(level: reasons.map(\.0).max() ?? .healthy, reasons: reasons.map(\.1))
    }
}
