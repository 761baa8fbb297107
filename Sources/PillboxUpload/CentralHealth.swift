import Foundation
import Synchronization

/// What the daemon knows about the central record right now, shared by the uploader,
/// the profile fetcher and `/v1/status`. Never holds patient data.
public final class CentralHealth: Sendable {
    /// A snapshot for status and metrics.
    public struct Snapshot: Sendable, Equatable {
        public var configured: Bool
        /// nil until the first attempt.
        public var reachable: Bool?
        public var lastSuccessAt: Date?
        public var lastFailureAt: Date?
        /// Non-identifying: a status code, an error kind.
        public var lastError: String?
        public var consecutiveFailures: Int
        /// A configuration problem in force (`systemic-refusal`, `credentials`,
        /// `configuration`): the central record answers but takes nothing. nil when none.
        public var condition: String? = nil
        /// Since when `condition` holds.
        public var conditionSince: Date? = nil
        /// Entries held back as suspects (refused while nothing was accepted): pending, not dead.
        public var heldEntries: Int = 0
    }

    private let state: Mutex<Snapshot>

    public init(configured: Bool) {
        state = Mutex(Snapshot(configured: configured, reachable: nil, lastSuccessAt: nil, lastFailureAt: nil,
                               lastError: nil, consecutiveFailures: 0))
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// The central record answered.
    public func succeeded(at date: Date) {
        state.withLock {
            $0.reachable = true
            $0.lastSuccessAt = date
            $0.consecutiveFailures = 0
        }
    }

    /// The central record could not be reached, or answered with an error for the whole request.
    public func failed(at date: Date, error: String, reachable: Bool) {
        state.withLock {
            $0.reachable = reachable
            $0.lastFailureAt = date
            $0.lastError = error
            $0.consecutiveFailures += 1
        }
    }

    /// The uploader's view after an attempt: the configuration problem in force (nil when
    /// none) and how many entries it holds back.
    public func uploadCondition(_ condition: String?, heldEntries: Int, at date: Date) {
        state.withLock {
            if $0.condition != condition { $0.conditionSince = condition == nil ? nil : date }
            $0.condition = condition
            $0.heldEntries = heldEntries
        }
    }

    /// True while recent failures say the central side is in trouble: callers should not
    /// add load (profile fetches) for `seconds` after the last failure.
    public func isStruggling(now: Date, within seconds: Double) -> Bool {
        state.withLock { snapshot in
            guard snapshot.consecutiveFailures > 0, let last = snapshot.lastFailureAt else { return false }
            return now.timeIntervalSince(last) < seconds
        }
    }
}
