import GRDB
import Synchronization

/// Shares one SQLite commit (one fsync) among concurrent writers.
///
/// The first writer to arrive becomes the leader: it runs its own work and every write
/// queued behind it in one transaction, each inside its own savepoint so that one failing
/// write rolls back alone, then commits once and completes them all. If more writes queued
/// meanwhile, leadership passes to the oldest of them. A lone writer pays no extra latency;
/// under load the commits grow instead of queueing, so throughput grows with clients.
///
/// Cancellation: the batch runs in a task of its own (`Task.detached`), not in the leader's,
/// because GRDB's async `write` fails, and interrupts, when its task is cancelled. A leader
/// cancelled by its caller (a request cut at its budget) would otherwise fail every write
/// queued behind it. A write, once handed to `write(_:)`, therefore runs to its end whatever
/// happens to its caller's task, and the caller gets its real outcome: a cancelled caller whose
/// write committed gets the result (not `CancellationError`), so it never mistakes a durable
/// write for one that was not made.
final class GroupCommitter: Sendable {
    typealias Work = @Sendable (Database) throws -> any Sendable

    private enum Outcome: Sendable {
        case done(Result<any Sendable, any Error>)
        case lead
    }

    private struct Waiter: Sendable {
        let work: Work
        let continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var leaderActive = false
        var queue: [Waiter] = []
    }

    private let writer: DatabasePool
    private let maxBatch: Int
    private let state = Mutex(State())

    init(writer: DatabasePool, maxBatch: Int = 256) {
        self.writer = writer
        self.maxBatch = maxBatch
    }

    /// Runs `work` in a savepoint of a shared transaction; returns once that transaction
    /// has committed (durably, with `synchronous=FULL`). Not cancellable: see the type's notes.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let erased: Work = { db in try work(db) }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let lead = state.withLock { state -> Bool in
                if state.leaderActive {
                    state.queue.append(Waiter(work: erased, continuation: continuation))
                    return false
                }
                state.leaderActive = true
                return true
            }
            if lead { continuation.resume(returning: .lead) }
        }
        let result: Result<any Sendable, any Error>
        switch outcome {
        case .done(let done):
            result = done
        case .lead:
            // Detached: the batch must not inherit this caller's cancellation (see above).
            result = await Task.detached(priority: Task.currentPriority) { await self.lead(own: erased) }.value
        }
        // The cast cannot fail: the value came from `work`, which returns T.
        return try result.get() as! T
    }

    /// Whether a leader is running a batch, and how many writes wait behind it (for tests).
    var snapshot: (leading: Bool, queued: Int) {
        state.withLock { ($0.leaderActive, $0.queue.count) }
    }

    /// Runs one batch as leader, completes the followers, hands leadership on.
    private func lead(own: @escaping Work) async -> Result<any Sendable, any Error> {
        let followers = state.withLock { state -> [Waiter] in
            let count = min(state.queue.count, maxBatch - 1)
            let taken = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return taken
        }
        let works = [own] + followers.map(\.work)
        let results: [Result<any Sendable, any Error>]
        do {
            results = try await writer.write { db in
                try works.map { work in
                    var outcome: Result<any Sendable, any Error>?
                    do {
                        try db.inSavepoint {
                            do {
                                outcome = .success(try work(db))
                                return .commit
                            } catch {
                                outcome = .failure(error)
                                return .rollback
                            }
                        }
                    } catch {
                        // A work that failed keeps its own error (the cause): after SQLite rolled the
                        // transaction back, the savepoint's rollback fails with "transaction was aborted".
                        if case .failure = outcome {} else { outcome = .failure(error) }
                    }
                    let result = outcome ?? .failure(StoreError(.io, "write did not run"))
                    // SQLite rolled the whole transaction back (it may on SQLITE_FULL or an I/O
                    // error): the batch is lost. End it with this work's error, the cause, rather
                    // than the "transaction was aborted" the commit would report to every writer.
                    if case .failure(let error) = result, !db.isInsideTransaction { throw error }
                    return result
                }
            }
        } catch {
            // The commit itself failed: nothing of this batch is durable.
            results = Array(repeating: .failure(error), count: works.count)
        }
        for (follower, result) in zip(followers, results.dropFirst()) {
            follower.continuation.resume(returning: .done(result))
        }
        let next = state.withLock { state -> Waiter? in
            if state.queue.isEmpty {
                state.leaderActive = false
                return nil
            }
            return state.queue.removeFirst()
        }
        next?.continuation.resume(returning: .lead)
        return results[0]
    }
}
