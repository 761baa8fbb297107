import Foundation
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Synchronization
import Testing

@Suite("The store announces new outbox work")
struct StoreOutboxWorkTests {
    @Test("Each commit that adds a version announces once; replays, conflicts, upload results and requeues do not; nothing once the observation ends")
    func announcesCommittedVersions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let announced = Announcements()
        var count: Int { announced.count.withLock { $0 } }
        try await store.observingOutboxWork({ announced.count.withLock { $0 += 1 } }) {
            let original = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
            #expect(count == 1)
            _ = try await store.recordDispense(try Fixture.dispense(id: "PDI-1"), now: Fixture.now, audit: Fixture.intakeAudit)
            #expect(count == 1, "a replay adds no version")
            let conflict = try await store.recordDispense(try Fixture.dispense(id: "PDI-1", din: "00000019"), now: Fixture.now,
                                                          audit: Fixture.intakeAudit)
            guard case .conflict = conflict else { throw Unexpected(description: "expected .conflict, got \(conflict)") }
            #expect(count == 1, "a conflict adds no version")
            _ = try await store.correctDispense(id: original.id, correction: try Fixture.correction(
                Samples.dispense(id: "PDI-1", lot: "L999"), reason: "Lot was wrong"), now: Fixture.now, audit: Fixture.changeAudit)
            #expect(count == 2)

            let seqs = try await store.outboxEntries(state: .pending, limit: 10).map(\.seq)
            #expect(seqs.count == 2)
            try await store.recordUploadResults([(seqs[0], .sent), (seqs[1], .deadLetter(summary: "HTTP 422", outcome: nil))],
                                                now: Fixture.now)
            #expect(try await store.requeue(seq: seqs[1], now: Fixture.now) == .requeued)
            #expect(count == 2, "upload results and requeues add no version")
        }
        _ = try await Fixture.create(store, try Fixture.dispense(id: "PDI-2"))
        #expect(count == 2, "no announcement once the observation ended")
    }
}

/// How many times the store announced outbox work.
private final class Announcements: Sendable {
    let count = Mutex(0)
}
