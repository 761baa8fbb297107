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

    /// True while recent failures say the central side is in trouble: callers should not
    /// add load (profile fetches) for `seconds` after the last failure.
    public func isStruggling(now: Date, within seconds: Double) -> Bool {
        state.withLock { snapshot in
            guard snapshot.consecutiveFailures > 0, let last = snapshot.lastFailureAt else { return false }
            return now.timeIntervalSince(last) < seconds
        }
    }
}
