import Foundation
import PillboxModel
import Synchronization

/// What the daemon knows about the central record right now, shared by the uploader,
/// the profile fetcher and `/v1/status`. Never holds patient data.
package final class CentralHealth: Sendable {
    private let state: Mutex<CentralStatus>

    package init(configured: Bool) {
        state = Mutex(CentralStatus(configured: configured))
    }

    /// The status now, for `/v1/status` and metrics.
    package var snapshot: CentralStatus { state.withLock { $0 } }

    /// The central record answered.
    package func succeeded(at date: Date) {
        state.withLock {
            $0.reachable = true
            $0.lastSuccessAt = date
            $0.consecutiveFailures = 0
            $0.failingSince = nil
        }
    }

    /// The central record could not be reached, or answered with an error for the whole request.
    package func failed(at date: Date, error: String, reachable: Bool) {
        state.withLock {
            $0.reachable = reachable
            $0.lastFailureAt = date
            if $0.failingSince == nil { $0.failingSince = date }
            $0.lastError = error
            $0.consecutiveFailures += 1
        }
    }

    /// The uploader's view after an attempt: the configuration problem in force (nil when
    /// none) and how many entries it holds back.
    package func uploadCondition(_ condition: String?, heldEntries: Int, at date: Date) {
        state.withLock {
            if $0.condition != condition { $0.conditionSince = condition == nil ? nil : date }
            $0.condition = condition
            $0.heldEntries = heldEntries
        }
    }

    /// True while recent failures say the central side is in trouble: callers should not
    /// add load (profile fetches) for `seconds` after the last failure.
    package func isStruggling(now: Date, within seconds: Double) -> Bool {
        state.withLock { snapshot in
            guard snapshot.consecutiveFailures > 0, let last = snapshot.lastFailureAt else { return false }
            return now.timeIntervalSince(last) < seconds
        }
    }
}
