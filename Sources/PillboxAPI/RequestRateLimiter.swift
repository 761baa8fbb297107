import Foundation
import Synchronization

/// How many requests each caller (each uid, from `SO_PEERCRED`) may make: a token bucket per
/// uid holding up to `limits.requestBurstPerUid` tokens, refilled at
/// `limits.requestsPerSecondPerUid` a second. A request takes one token; one that leaves an
/// audit entry for each of several patients (a recall page) is charged one more token for
/// each further entry, so the bucket may go below zero and its caller waits longer. A request
/// finding less than one token is answered 429 before it is routed or audited
/// (docs/configuration.md, "Requests per caller").
///
/// Why: every routed request leaves an audit entry on disk (docs/audit.md), so a client
/// looping on requests (a 404 in a retry loop) grew the store by about 11 GB an hour and
/// would fill a pharmacy's disk in hours, and then every write is refused. The limit bounds
/// the audit entries a caller adds to the rate, so the disk alarm (`pillbox doctor`,
/// `pillbox status`) comes days first, and keeps one looping program from starving the
/// others of CPU.
///
/// Never limited: uid 0 (the technician's `sudo pillbox`, which must work during an incident)
/// and the daemon's own uid (a process of that uid can read the data folder and its key
/// anyway; in development and in the drills, daemon and clients share it). A rate of 0 turns
/// the limit off.
package final class RequestRateLimiter: Sendable {
    /// Why a request was refused, and when its caller may come back.
    package struct Refusal: Sendable, Equatable {
        /// Whole seconds until the bucket holds a request again (at least 1): `Retry-After`.
        package var retryAfterSeconds: Int
        /// Whether this refusal should be logged: the first for its uid, then at most one a
        /// second, so a flood of refusals does not become a flood of log lines.
        package var log: Bool { refusedSinceLog != nil }
        /// When logged: refusals of this uid since the last logged one, this one included.
        package var refusedSinceLog: Int?
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
    }

    private struct State {
        var buckets: [UInt32: Bucket] = [:]
        var logs = LogThrottle<UInt32>()
        var facts = Facts(refused: 0)
    }

    /// Buckets kept at most; past it, buckets that have refilled (callers that have been
    /// quiet) are dropped.
    private static let maxBuckets = 4096
    private let state = Mutex(State())
    private let clock: @Sendable () -> ContinuousClock.Instant
    /// The clock's reading at start: log times are measured from it.
    private let origin: ContinuousClock.Instant
    /// uids never limited: root and the daemon's own.
    private let exempt: Set<UInt32>

    package init(clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
                 daemonUid: UInt32 = geteuid()) {
        self.clock = clock
        origin = clock()
        exempt = [0, daemonUid]
    }

    /// Takes one token from `uid`'s bucket; nil when admitted, the refusal otherwise.
    /// `now` is the wall-clock time recorded as the last refusal's time.
    package func admit(uid: UInt32, limits: APILimits, now: Date) -> Refusal? {
        let rate = Double(limits.requestsPerSecondPerUid)
        guard rate > 0, !exempt.contains(uid) else { return nil }
        let burst = Double(limits.requestBurstPerUid)
        return state.withLock { state -> Refusal? in
            // The clock is read under the lock, so that a bucket's time never goes back.
            let instant = clock()
            var bucket = refilled(state.buckets[uid], at: instant, rate: rate, burst: burst)
            defer { store(bucket, for: uid, in: &state, at: instant, rate: rate, burst: burst) }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            state.facts.refused += 1
            state.facts.lastUid = uid
            state.facts.lastAt = now
            let sinceStart = origin.duration(to: instant).components
            let nanoseconds = UInt64(max(0, sinceStart.seconds)) &* 1_000_000_000 &+ UInt64(max(0, sinceStart.attoseconds / 1_000_000_000))
            return Refusal(retryAfterSeconds: max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))),
                           refusedSinceLog: state.logs.shouldLog(uid, now: nanoseconds).map { $0 + 1 })
        }
    }

    /// Charges `uid` for `tokens` more, after an admitted request turned out to cost more
    /// than one (an audit entry for each of several patients). The bucket may go below zero:
    /// its caller is then refused until it has refilled above one.
    package func charge(uid: UInt32, tokens: Int, limits: APILimits) {
        let rate = Double(limits.requestsPerSecondPerUid)
        guard tokens > 0, rate > 0, !exempt.contains(uid) else { return }
        let burst = Double(limits.requestBurstPerUid)
        state.withLock { state in
            let instant = clock()
            var bucket = refilled(state.buckets[uid], at: instant, rate: rate, burst: burst)
            bucket.tokens -= Double(tokens)
            store(bucket, for: uid, in: &state, at: instant, rate: rate, burst: burst)
        }
    }

    private func refilled(_ bucket: Bucket?, at instant: ContinuousClock.Instant, rate: Double, burst: Double) -> Bucket {
        guard var bucket else { return Bucket(tokens: burst, updated: instant) }
        bucket.tokens = min(burst, bucket.tokens + Self.seconds(bucket.updated.duration(to: instant)) * rate)
        bucket.updated = instant
        return bucket
    }

    private func store(_ bucket: Bucket, for uid: UInt32, in state: inout State, at instant: ContinuousClock.Instant,
                       rate: Double, burst: Double) {
        if state.buckets[uid] == nil, state.buckets.count >= Self.maxBuckets {
            for (quiet, _) in state.buckets.filter({ refilled($0.value, at: instant, rate: rate, burst: burst).tokens >= burst }) {
                state.buckets.removeValue(forKey: quiet)
                state.logs.forget(quiet)
            }
        }
        state.buckets[uid] = bucket
    }

    private static func seconds(_ duration: Duration) -> Double {
        max(0, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Refusals since start, and the latest.
    package var facts: Facts { state.withLock { $0.facts } }
}
