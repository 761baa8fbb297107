import Foundation
import PillboxModel
import PillboxStore
import Testing

@Suite("Outbox queries the uploader relies on", .serialized)
struct OutboxDueTests {
    /// One dispense with a correction: versions 1 and 2 pending; returns their outbox seqs.
    static func twoVersions(_ harness: UploadHarness) async throws -> (v1: Int64, v2: Int64) {
        let id = try #require(try await harness.record(1).first)
        var corrected = try #require(try await harness.store.dispense(id: id)).dispense
        corrected.daysSupply = 45
        _ = try await harness.store.correctDispense(id: id, correction: .init(dispense: corrected, reason: "days"), now: Date(),
            audit: RequestAudit(uid: 0, pid: 0, role: "admin", action: "test"))
        let pending = try await harness.store.outboxEntries(state: .pending, limit: 10)
        #expect(pending.map(\.version) == [1, 2])
        return (pending[0].seq, pending[1].seq)
    }

    @Test("A due later version behind an older one deferred by a 5xx is not 'due': nextUploadDue agrees with nextUploadBatch")
    func dueAgreesWithBatch() async throws {
        try await UploadHarness.run { harness in
            let (v1, _) = try await Self.twoVersions(harness)
            let deferredUntil = Date().addingTimeInterval(60)
            try await harness.store.recordUploadResults([(v1, .retry(at: deferredUntil, summary: "HTTP 503"))], now: Date())
            let batch = try await harness.store.nextUploadBatch(limit: 10, now: Date())
            #expect(batch.items.isEmpty, "version 2 waits for version 1")
            let due = try #require(try await harness.store.nextUploadDue())
            #expect(abs(due.timeIntervalSince(deferredUntil)) < 0.001, "the next due time is version 1's, not version 2's (now)")
        }
    }

    @Test("Releasing a held entry makes it due now without counting an attempt; a sent entry is not touched")
    func releaseHeld() async throws {
        try await UploadHarness.run { harness in
            try await harness.record(2)
            let seqs = try await harness.store.outboxEntries(state: .pending, limit: 10).map(\.seq)
            let later = Date().addingTimeInterval(600)
            try await harness.store.recordUploadResults([(seqs[0], .retry(at: later, summary: "HTTP 422; held")), (seqs[1], .sent)],
                                                        now: Date())
            #expect(try await harness.store.nextUploadBatch(limit: 10, now: Date()).items.isEmpty)
            let now = Date()
            try await harness.store.recordUploadResults([(seqs[0], .release(at: now)), (seqs[1], .release(at: now))], now: now)
            let batch = try await harness.store.nextUploadBatch(limit: 10, now: now.addingTimeInterval(0.001))
            #expect(batch.items.map(\.seq) == [seqs[0]])
            #expect(batch.items.first?.attempts == 1, "the release counted no attempt")
            #expect(try await harness.store.outboxEntries(state: .sent, limit: 10).map(\.seq) == [seqs[1]])
        }
    }
}
