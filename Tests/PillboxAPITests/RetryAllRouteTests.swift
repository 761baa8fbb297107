import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("POST /v1/outbox/retry: every dead letter back in the queue")
struct RetryAllRouteTests {
    @Test("Three dead letters come back (2 with since), nothing dead answers 0, the request is audited, other roles get 403, a bad since 400")
    func retryAll() async throws {
        let now = Date(timeIntervalSince1970: 1_796_126_400)
        let harness = try APIHarness(now: { now })
        try await harness.test { client in
            for index in 0..<3 {
                #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "RA-\(index)")).status == .created)
            }
            let seqs = try await harness.store.outboxEntries(state: .pending, limit: 10).map(\.seq)
            for (index, seq) in seqs.enumerated() {
                try await harness.store.recordUploadResults([(seq, .deadLetter(summary: "HTTP 422", outcome: nil))],
                                                            now: now.addingTimeInterval(Double(index) * 86_400))
            }
            let sinceDay2 = try await client.execute(uri: "/v1/outbox/retry?since=2026-12-03T00:00:00Z", method: .post)
            #expect(sinceDay2.status == .ok)
            #expect(sinceDay2.json["requeued"] as? Int == 1)
            #expect(sinceDay2.json["superseded"] as? Int == 0)
            #expect(sinceDay2.json["since"] as? String == "2026-12-03T00:00:00.000Z")
            let all = try await client.execute(uri: "/v1/outbox/retry", method: .post)
            #expect(all.json["requeued"] as? Int == 2)
            #expect(all.json["since"] == nil)
            #expect(try await harness.store.outboxEntries(state: .pending, limit: 10).map(\.seq) == seqs)
            let none = try await client.execute(uri: "/v1/outbox/retry", method: .post)
            #expect(none.status == .ok)
            #expect(none.json["requeued"] as? Int == 0)

            let bad = try await client.execute(uri: "/v1/outbox/retry?since=yesterday", method: .post)
            #expect(bad.status == .badRequest)
            #expect((bad.json["errors"] as? [[String: String]])?.first?["path"] == "since")
            for role in [APIHarness.reader, APIHarness.dispenser] {
                harness.as(role)
                #expect(try await client.execute(uri: "/v1/outbox/retry", method: .post).status == .forbidden)
            }
            try await harness.dependencies.auditLog.flush()
            let audit = try await harness.store.auditEntries(since: nil, limit: 100).filter { $0.action == "POST /v1/outbox/retry" }
            #expect(audit.map(\.outcome) == [200, 200, 200, 400, 403, 403])
            #expect(audit.allSatisfy { $0.patientRef == nil && $0.dispenseID == nil })
        }
    }
}
