import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxStore
import PillboxTestSupport
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
}

@Suite("Requests per caller: the rate limit")
struct RateLimitTests {
    static func limits(rate: Int, burst: Int) -> APILimits {
        var limits = APILimits()
        limits.requestsPerSecondPerUid = rate
        limits.requestBurstPerUid = burst
        return limits
    }

    @Test("A bucket of `burst` requests, refilled at `rate` a second; Retry-After is the wait for the next one")
    func bucket() {
        let clock = ManualClock()
        let limiter = RequestRateLimiter(clock: { clock.now }, daemonUid: 0)
        let limits = Self.limits(rate: 10, burst: 5)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let firstFive = (0..<5).map { _ in limiter.admit(uid: 1001, limits: limits, now: now) }
        #expect(firstFive == [nil, nil, nil, nil, nil])
        #expect(limiter.admit(uid: 1001, limits: limits, now: now)?.retryAfterSeconds == 1)
        clock.advance(.milliseconds(100))  // one request's worth at 10 a second
        #expect(limiter.admit(uid: 1001, limits: limits, now: now) == nil)
        #expect(limiter.admit(uid: 1001, limits: limits, now: now) != nil)
        clock.advance(.seconds(60))  // refilled to the burst, not beyond
        #expect((0..<6).map { _ in limiter.admit(uid: 1001, limits: limits, now: now) == nil } == [true, true, true, true, true, false])
        #expect(limiter.facts == RequestRateLimiter.Facts(refused: 3, lastUid: 1001, lastAt: now))
    }

    @Test("Each uid has its own bucket; uid 0 and a rate of 0 are never limited")
    func perUidAndExemptions() {
        let clock = ManualClock()
        let limiter = RequestRateLimiter(clock: { clock.now }, daemonUid: 0)
        let limits = Self.limits(rate: 1, burst: 2)
        let now = Date()
        #expect((0..<3).map { _ in limiter.admit(uid: 1001, limits: limits, now: now) == nil } == [true, true, false])
        #expect((0..<2).map { _ in limiter.admit(uid: 1002, limits: limits, now: now) == nil } == [true, true])
        #expect((0..<1000).allSatisfy { _ in limiter.admit(uid: 0, limits: limits, now: now) == nil })
        let off = Self.limits(rate: 0, burst: 1)
        #expect((0..<1000).allSatisfy { _ in limiter.admit(uid: 1001, limits: off, now: now) == nil })
        #expect(limiter.facts.refused == 1)
    }

    @Test("The daemon's own uid is never limited, as uid 0 is not")
    func daemonUidExempt() {
        let limiter = RequestRateLimiter(clock: { ContinuousClock.Instant.now }, daemonUid: 4321)
        let limits = Self.limits(rate: 1, burst: 1)
        #expect((0..<1000).allSatisfy { _ in limiter.admit(uid: 4321, limits: limits, now: Date()) == nil })
        #expect((0..<1000).allSatisfy { _ in limiter.admit(uid: 0, limits: limits, now: Date()) == nil })
        #expect((0..<2).map { _ in limiter.admit(uid: 4322, limits: limits, now: Date()) == nil } == [true, false])
    }

    @Test("A request charged for more than one token leaves its bucket below zero: refused until refilled, Retry-After the whole wait")
    func chargeGoesIntoDebt() {
        let clock = ManualClock()
        let limiter = RequestRateLimiter(clock: { clock.now }, daemonUid: 0)
        let limits = Self.limits(rate: 10, burst: 5)
        let now = Date()
        #expect(limiter.admit(uid: 1001, limits: limits, now: now) == nil)  // 4 left
        limiter.charge(uid: 1001, tokens: 20, limits: limits)  // -16
        #expect(limiter.admit(uid: 1001, limits: limits, now: now)?.retryAfterSeconds == 2)  // 17 tokens at 10 a second
        clock.advance(.milliseconds(1600))  // 0
        #expect(limiter.admit(uid: 1001, limits: limits, now: now)?.retryAfterSeconds == 1)
        clock.advance(.milliseconds(100))  // 1
        #expect(limiter.admit(uid: 1001, limits: limits, now: now) == nil)
        limiter.charge(uid: 0, tokens: 1_000_000, limits: limits)
        #expect(limiter.admit(uid: 0, limits: limits, now: now) == nil)
    }

    @Test("Refusals are logged the first time, then at most once a second, with the count since the last log line")
    func loggingIsThrottled() {
        let clock = ManualClock()
        let limiter = RequestRateLimiter(clock: { clock.now }, daemonUid: 0)
        let limits = Self.limits(rate: 1, burst: 1)
        let now = Date()
        _ = limiter.admit(uid: 1001, limits: limits, now: now)
        let first = limiter.admit(uid: 1001, limits: limits, now: now)
        #expect(first?.log == true)
        #expect(first?.refusedSinceLog == 1)
        let quiet = (0..<50).compactMap { _ in limiter.admit(uid: 1001, limits: limits, now: now) }
        #expect(quiet.count == 50)
        #expect(quiet.allSatisfy { !$0.log })
        clock.advance(.milliseconds(999))  // refills 0.999 of a request: still refused
        let next = limiter.admit(uid: 1001, limits: limits, now: now)
        #expect(next?.log == false)
        clock.advance(.milliseconds(1))  // a second since the last log line (and a token, taken here)
        #expect(limiter.admit(uid: 1001, limits: limits, now: now) == nil)
        let logged = limiter.admit(uid: 1001, limits: limits, now: now)
        #expect(logged?.log == true)
        #expect(logged?.refusedSinceLog == 52)
    }

    /// The complaint: a program looping on requests (a 404 in a retry loop) left an audit entry
    /// per request, about 10 GB an hour on disk, until the disk was full and every write refused.
    @Test("A caller looping on requests gets 429 with Retry-After past its burst; refused requests leave no audit entry")
    func loopingCallerIsRefused() async throws {
        let instant = ContinuousClock.now
        let harness = try APIHarness(limits: Self.limits(rate: 1, burst: 3), rateLimiter: RequestRateLimiter(clock: { instant }, daemonUid: 0))
        harness.as(APIHarness.dispenser)
        try await harness.test { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<1000 {
                let response = try await client.get("/v1/nothing-here")
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    #expect(response.headers[.retryAfter] == "1")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            #expect(statuses.filter { $0 == .notFound }.count == 3)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 997)
            #expect(Array(statuses.prefix(3)) == [.notFound, .notFound, .notFound])
            let refused = try await client.get("/v1/health")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json["type"] as? String == "https://pillbox.local/problems/rate-limited")
            #expect((refused.json["detail"] as? String)?.contains("limits.requestsPerSecondPerUid") == true)

            // Another caller is not held back by the looping one, and root is never limited.
            harness.as(APIHarness.reader)
            #expect(try await client.get("/v1/health").status == .ok)
            harness.as(APIHarness.root)
            for _ in 0..<20 { #expect(try await client.get("/v1/health").status == .ok) }

            let status = try await client.get("/v1/status")
            let limited = try #require(status.json["rateLimited"] as? [String: Any])
            #expect(limited["refused"] as? Int == 998)
            #expect(limited["lastUid"] as? Int == 1001)
            let metrics = try await client.get("/metrics")
            #expect(String(buffer: metrics.body).contains("\npillbox_requests_rate_limited 998.0\n"))
        }
        try await harness.dependencies.auditLog.flush()
        let entries = try await harness.store.auditEntries(since: nil, limit: 2000)
        #expect(entries.filter { $0.uid == 1001 }.map(\.outcome) == [404, 404, 404])
        #expect(entries.filter { $0.uid == 1002 }.map(\.outcome) == [200])
        #expect(entries.filter { $0.uid == 0 }.count == 22)  // 20 health, the status, the metrics
        #expect(entries.count == 26)
    }

    /// A looping recall is the costliest loop: one request leaves an entry for each patient
    /// of its page (up to 500). Each entry costs a token, so entries, not requests, are bounded.
    @Test("A recall page is charged a token for each patient audited; the next request waits for all of them")
    func recallChargedPerPatient() async throws {
        let instant = ContinuousClock.now
        let harness = try APIHarness(limits: Self.limits(rate: 1, burst: 10), rateLimiter: RequestRateLimiter(clock: { instant }, daemonUid: 0))
        harness.as(APIHarness.dispenser)
        try await harness.test { client in
            for patient in 1...8 {
                let created = try await client.post("/v1/dispenses", Samples.dispense(id: "RL-\(patient)", nam: "RATE0000000\(patient)"))
                #expect(created.status == .created)
            }
            // 2 tokens left: the recall is admitted (1 left), then charged 7 more (-6).
            let recall = try await client.get("/v1/dispenses?din=02242903")
            #expect(recall.status == .ok)
            #expect((recall.json["dispenses"] as? [[String: Any]])?.count == 8)
            let refused = try await client.get("/v1/health")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "7")
        }
        try await harness.dependencies.auditLog.flush()
        let entries = try await harness.store.auditEntries(since: nil, limit: 100)
        #expect(entries.filter { $0.action == "GET /v1/dispenses" }.count == 8)
        #expect(entries.count == 16)
    }

    @Test("With no refusal, the status has no rateLimited member")
    func statusWithoutRefusals() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let status = try await client.get("/v1/status")
            #expect(status.status == .ok)
            #expect(status.json["rateLimited"] == nil)
            #expect(status.json["records"] as? Int == 0)
        }
    }
}
