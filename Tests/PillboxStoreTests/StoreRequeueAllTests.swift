import Foundation
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Putting every dead letter back in the queue")
struct StoreRequeueAllTests {
    /// A store with `count` dispenses, each dead-lettered at `Fixture.now + hours[i]` hours.
    static func deadLetters(_ store: Store, hours: [Double]) async throws -> [Int64] {
        for index in hours.indices {
            _ = try await Fixture.create(store, try Fixture.dispense(id: "DEAD-\(index)"))
        }
        let seqs = try await store.outboxEntries(state: .pending, limit: 100).map(\.seq)
        for (seq, hour) in zip(seqs, hours) {
            try await store.recordUploadResults([(seq, .deadLetter(summary: "HTTP 422 (invalid)", outcome: nil))],
                                                now: Fixture.now.addingTimeInterval(hour * 3600))
        }
        return seqs
    }

    @Test("Three dead letters all become pending, due now, with their attempts reset")
    func everyDeadLetter() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let seqs = try await Self.deadLetters(store, hours: [0, 1, 2])
        #expect(try await store.outboxEntries(state: .failed, limit: 10).count == 3)
        let later = Fixture.now.addingTimeInterval(86_400)
        let result = try await store.requeueAll(failedSince: nil, now: later)
        #expect(result == Store.RequeueAllResult(requeued: 3, superseded: 0))
        let pending = try await store.outboxEntries(state: .pending, limit: 10)
        #expect(pending.map(\.seq) == seqs)
        #expect(pending.allSatisfy { $0.attempts == 0 && $0.nextAttemptAt == Timestamps.format(later) })
        #expect(try await store.outboxEntries(state: .failed, limit: 10).isEmpty)
        #expect(try await store.nextUploadBatch(limit: 10, now: later).items.count == 3)
    }

    @Test("--since keeps exactly those dead-lettered at or after the date")
    func since() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let seqs = try await Self.deadLetters(store, hours: [0, 5, 10, 15])
        let result = try await store.requeueAll(failedSince: Fixture.now.addingTimeInterval(10 * 3600), now: Fixture.now)
        #expect(result == Store.RequeueAllResult(requeued: 2, superseded: 0))
        #expect(try await store.outboxEntries(state: .pending, limit: 10).map(\.seq) == [seqs[2], seqs[3]])
        #expect(try await store.outboxEntries(state: .failed, limit: 10).map(\.seq) == [seqs[0], seqs[1]])
    }

    @Test("Nothing dead: nothing changes, 0 requeued")
    func nothingDead() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        _ = try await Fixture.create(store, try Fixture.dispense(id: "OK-1"))
        #expect(try await store.requeueAll(failedSince: nil, now: Fixture.now) == Store.RequeueAllResult(requeued: 0, superseded: 0))
        #expect(try await store.outboxEntries(state: .pending, limit: 10).count == 1)
    }

    @Test("Of two dead versions of one dispense only the newer goes back; one with a newer version sent stays dead")
    func superseded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let original = try await Fixture.create(store, try Fixture.dispense(id: "TWO-1"))
        _ = try await store.correctDispense(id: original.id, correction: try Fixture.correction(
            Samples.dispense(id: "TWO-1", lot: "L999"), reason: "Lot was wrong"), now: Fixture.now, audit: Fixture.changeAudit)
        let other = try await Fixture.create(store, try Fixture.dispense(id: "TWO-2"))
        _ = try await store.correctDispense(id: other.id, correction: try Fixture.correction(
            Samples.dispense(id: "TWO-2", lot: "L998"), reason: "Lot was wrong"), now: Fixture.now, audit: Fixture.changeAudit)
        let seqs = try await store.outboxEntries(state: .pending, limit: 10).map(\.seq)
        #expect(seqs.count == 4)
        try await store.recordUploadResults([(seqs[0], .deadLetter(summary: "HTTP 422", outcome: nil)),
                                             (seqs[1], .deadLetter(summary: "HTTP 422", outcome: nil)),
                                             (seqs[2], .deadLetter(summary: "HTTP 422", outcome: nil)),
                                             (seqs[3], .sent)], now: Fixture.now)
        let result = try await store.requeueAll(failedSince: nil, now: Fixture.now)
        #expect(result == Store.RequeueAllResult(requeued: 1, superseded: 2))
        #expect(try await store.outboxEntries(state: .pending, limit: 10).map(\.seq) == [seqs[1]])
        #expect(try await store.outboxEntries(state: .failed, limit: 10).map(\.seq) == [seqs[0], seqs[2]])
    }
}
