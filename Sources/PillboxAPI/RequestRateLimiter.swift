import Foundation
import Synchronization

/// How many requests each caller (each uid, from `SO_PEERCRED`) may make: a token bucket per
/// uid holding up to `limits.requestBurstPerUid` requests, refilled at
/// `limits.requestsPerSecondPerUid`. A request finding its bucket empty is answered 429 before
/// it is routed or audited (docs/configuration.md, "Requests per caller").
///
/// Why: every routed request leaves an audit entry on disk (docs/audit.md), so a client
/// looping on requests (a 404 in a retry loop) grew the store by about 10 GB an hour and
/// would fill a pharmacy's disk in hours, and then every write is refused. The limit makes
/// that growth slow enough for the disk alarm (`pillbox doctor`, `pillbox status`) to come
/// first, and keeps one looping program from starving the others of CPU.
///
/// uid 0 is never limited: it is the technician's `pillbox` (run with `sudo`), which must
/// work during an incident, and root can stop the daemon anyway. A rate of 0 turns the
/// limit off.
package final class RequestRateLimiter: Sendable {
    /// Why a request was refused, and when its caller may come back.
    package struct Refusal: Sendable, Equatable {
        /// Whole seconds until the bucket holds a request again (at least 1): `Retry-After`.
        package var retryAfterSeconds: Int
        /// Whether this refusal should be logged: the first for its uid, then at most one a
        /// second, so a flood of refusals does not become a flood of log lines.
        package var log: Bool
        /// Refusals of this uid since the last logged one, this one included.
        package var refusedSinceLog: Int
    }

    /// What `/v1/status` reports: refusals since start, and the latest.
    package struct Facts: Sendable, Equatable {
        package var refused: Int
        package var lastUid: UInt32?
        package var lastAt: Date?

        package init(refused: Int, lastUid: UInt32? = nil, lastAt: Date? = nil) {
            self.refused = refused
            self.lastUid = lastUid
            self.lastAt = lastAt
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
        var lastLogged: ContinuousClock.Instant?
        var refusedSinceLog = 0
    }

    private struct State {
        var buckets: [UInt32: Bucket] = [:]
        var facts = Facts(refused: 0)
    }

    /// Buckets kept at most; past it, full buckets (callers that have been quiet) are dropped.
    private static let maxBuckets = 4096
    private let state = Mutex(State())
    private let clock: @Sendable () -> ContinuousClock.Instant

    package init(clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.clock = clock
    }

    /// Takes one request from `uid`'s bucket; nil when admitted, the refusal otherwise.
    /// `now` is the wall-clock time recorded as the last refusal's time.
    package func admit(uid: UInt32, limits: APILimits, now: Date) -> Refusal? {
        let rate = limits.requestsPerSecondPerUid
        guard uid != 0, rate > 0 else { return nil }
        let burst = Double(limits.requestBurstPerUid)
        let instant = clock()
        return state.withLock { state -> Refusal? in
            var bucket = state.buckets[uid] ?? Bucket(tokens: burst, updated: instant)
            let elapsed = bucket.updated.duration(to: instant)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + max(0, seconds) * Double(rate))
            bucket.updated = instant
            defer {
                if state.buckets[uid] == nil, state.buckets.count >= Self.maxBuckets {
                    state.buckets = state.buckets.filter { entry in
                        let quiet = entry.value.updated.duration(to: instant)
                        return entry.value.tokens + Double(quiet.components.seconds + 1) * Double(rate) < burst
                    }
                }
                state.buckets[uid] = bucket
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            state.facts.refused += 1
            state.facts.lastUid = uid
            state.facts.lastAt = now
            bucket.refusedSinceLog += 1
            let log = bucket.lastLogged.map { $0.duration(to: instant) >= .seconds(1) } ?? true
            let refusal = Refusal(retryAfterSeconds: max(1, Int(((1 - bucket.tokens) / Double(rate)).rounded(.up))),
                                  log: log, refusedSinceLog: bucket.refusedSinceLog)
            if log {
                bucket.lastLogged = instant
                bucket.refusedSinceLog = 0
            }
            return refusal
        }
    }

    /// Refusals since start, and the latest.
    package var facts: Facts { state.withLock { $0.facts } }
}
