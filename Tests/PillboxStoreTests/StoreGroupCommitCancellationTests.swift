import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Group commit: batching and cancellation")
struct StoreGroupCommitCancellationTests {
    /// Polls `condition` every few milliseconds for up to 10 s.
    static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw Unexpected(description: "timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Records `id` as a task of its own, so that the test can cancel it.
    static func recording(_ store: Store, _ id: String) -> Task<IntakeResult, any Error> {
        Task { try await store.recordDispense(try Fixture.dispense(id: id), now: Fixture.now, audit: Fixture.intakeAudit) }
    }

    /// Holds the writer connection, starts a first write (which leads a batch of its own and
    /// waits for the connection), then queues "LEADER" behind it and `followers` writes behind
    /// that. When the connection is let go, the first batch commits and hands leadership to
    /// "LEADER", whose batch carries every follower. Returns once all of them are queued.
    static func queuedBatch(_ store: Store, followers: Int) async throws
        -> (blocker: WriterBlocker, tasks: [Task<IntakeResult, any Error>], leader: Task<IntakeResult, any Error>,
            followers: [Task<IntakeResult, any Error>]) {
        let blocker = await WriterBlocker.hold(store.pool)
        let first = recording(store, "FIRST")
        try await waitUntil("a first batch runs") { store.committer.snapshot.leading }
        // Let the first batch take its (empty) list of followers and wait for the connection.
        try await Task.sleep(for: .milliseconds(50))
        let leader = recording(store, "LEADER")
        try await waitUntil("the next leader queues") { store.committer.snapshot.queued == 1 }
        let tasks = (0..<followers).map { recording(store, "FOLLOWER-\($0)") }
        try await waitUntil("\(followers) writes queue behind it") { store.committer.snapshot.queued == followers + 1 }
        return (blocker, [first, leader] + tasks, leader, tasks)
    }

    @Test("A cancelled leader fails nobody: the 50 followers in its batch and its own write commit and answer created")
    func cancelledLeaderFailsNobody() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let (blocker, all, leader, followers) = try await Self.queuedBatch(store, followers: 50)

        // Cancelled while queued: it becomes leader of the next batch already cancelled, like a
        // profile refresh cut at its budget whose cache write is waiting for its turn.
        leader.cancel()
        blocker.letGo()

        var created: [String] = []
        for follower in followers {
            if case .created(let record) = try await follower.value { created.append(record.dispense.pharmacyDispenseId) }
        }
        #expect(Set(created) == Set((0..<50).map { "FOLLOWER-\($0)" }))
        // The cancelled caller gets its real outcome: its write committed, so it is told so.
        let own = try await leader.value
        guard case .created(let record) = own else { throw Unexpected(description: "leader got \(own)") }
        #expect(try await store.dispense(id: record.id)?.dispense.pharmacyDispenseId == "LEADER")
        _ = try await all[0].value
        #expect(try await store.statistics().recordCount == 52)
        #expect(try await store.verifyAuditChain() == AuditVerification(entries: 52, firstBrokenSeq: nil))
    }

    @Test("A write whose caller was cancelled before it called still runs and reports its commit")
    func cancelledCallerStillWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await store.recordDispense(try Fixture.dispense(id: "LATE"), now: Fixture.now, audit: Fixture.intakeAudit)
        }
        let result = try await task.value
        guard case .created(let record) = result else { throw Unexpected(description: "got \(result)") }
        #expect(try await store.dispense(id: record.id)?.dispense.pharmacyDispenseId == "LATE")
    }

    @Test("Writes queued behind a busy writer share commits: 101 writes, at most 2 SQLite commits")
    func queuedWritesShareCommits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let counter = try CommitCounter.attach(to: store.pool)
        let (blocker, all, _, _) = try await Self.queuedBatch(store, followers: 99)
        blocker.letGo()

        var created = 0
        for task in all {
            if case .created = try await task.value { created += 1 }
        }
        #expect(created == 101)
        #expect(try await store.statistics().recordCount == 101)
        // One commit for the first batch, one for the 100 queued behind it (a single one when
        // the first batch took them all); one per write, 101, without group commit.
        #expect((1...2).contains(counter.commits), "commits: \(counter.commits)")
    }

    @Test("The commit counter sees one commit per unbatched write")
    func counterCountsCommits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let counter = try CommitCounter.attach(to: store.pool)
        for n in 0..<5 { _ = try await Fixture.create(store, try Fixture.dispense(id: "SERIAL-\(n)")) }
        #expect(counter.commits == 5)
    }
}
