import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

@Suite("The rate limit over the real socket")
struct RateLimitEndToEndTests {
    /// A program (not root) in a loop on one connection: past its burst it gets 429, the audit
    /// trail keeps only the requests that were served, the status names its uid, and the log
    /// says so without a line per refusal. Root (the technician) is not held back meanwhile.
    @Test("A non-root caller in a loop is refused past its burst; only served requests are audited")
    func loopingCaller() async throws {
        guard Nobody.available else {
            Issue.record(Comment(rawValue: Nobody.unavailable))
            return
        }
        let (fixture, client) = try await Fixture.running(
            config: ["socketMode": "0666", "limits": ["requestsPerSecondPerUid": 1, "requestBurstPerUid": 5]], directoryMode: 0o755)
        defer { Task { await fixture.finish(client) } }
        // 200 requests on one connection.
        let started = ContinuousClock.now
        let codes = try await Nobody.get(Array(repeating: "/v1/health", count: 200), socket: fixture.daemon.socketPath)
        let elapsed = ContinuousClock.now - started
        #expect(codes.count == 200)
        // uid 65534 has no role: a request the limit lets through is a 403. The first five are
        // the burst; the bucket refills one a second while curl runs.
        let served = codes.filter { $0 == "403" }.count
        let refused = codes.filter { $0 == "429" }.count
        #expect(served + refused == 200, "\(Set(codes))")
        #expect(Array(codes.prefix(5)) == ["403", "403", "403", "403", "403"])
        #expect(served <= 5 + Int(elapsed.components.seconds) + 1, "\(served) served in \(elapsed)")
        #expect(refused >= 200 - 5 - Int(elapsed.components.seconds) - 1)

        // Root is never limited, even with this uid's bucket empty.
        for _ in 0..<20 { #expect(try await client.get("/v1/health").status == 200) }

        let audit = try await client.get("/v1/audit?limit=500")
        let entries = try #require(audit.json?["entries"] as? [[String: Any]])
        #expect(entries.filter { $0["uid"] as? Int == Nobody.uid }.count == served)
        #expect(entries.filter { $0["uid"] as? Int == Nobody.uid }.allSatisfy { $0["outcome"] as? Int == 403 })

        let status = try await client.get("/v1/status")
        let limited = try #require(status.json?["rateLimited"] as? [String: Any])
        #expect(limited["refused"] as? Int == refused)
        #expect(limited["lastUid"] as? Int == Nobody.uid)

        let lines = fixture.daemon.output.split(separator: "\n").filter { $0.contains("Requests refused: the caller is over its rate limit") }
        #expect(lines.count >= 1)
        #expect(lines.count <= Int(elapsed.components.seconds) + 2, "\(lines.count) log lines in \(elapsed)")
        #expect(lines.first?.contains("peer.uid=65534") == true)
    }
}
