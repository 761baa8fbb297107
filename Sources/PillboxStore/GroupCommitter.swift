import GRDB
import Synchronization

/// Shares one SQLite commit (one fsync) among concurrent writers.
///
/// A write joins a queue. When no batch is running, the write that arrives starts one: every
/// write queued (up to `maxBatch`) runs in one transaction on GRDB's writer queue, each inside
/// its own savepoint so that one failing write rolls back alone; the transaction commits once,
/// then every write of the batch is completed, and, if more writes queued meanwhile, the next
/// batch starts right there on the writer queue. A lone writer pays no extra latency; under
/// load the commits grow instead of queueing, so throughput grows with clients. No task is
/// created per batch: each caller waits on its continuation, which the writer queue resumes.
///
/// Cancellation: batches run through GRDB's callback `asyncWrite`, which no task's
/// cancellation reaches (GRDB's async `write` fails, and interrupts, when its task is
/// cancelled: one caller cut at its budget would fail every write batched with its own). A
/// write, once handed to `write(_:)`, therefore runs to its end whatever happens to its
/// caller's task, and the caller gets its real outcome: a cancelled caller whose write
/// committed gets the result (not `CancellationError`), so it never mistakes a durable write
/// for one that was not made.
final class GroupCommitter: Sendable {
    typealias Work = @Sendable (Database) throws -> any Sendable

    private struct Waiter: Sendable {
        let work: Work
        let continuation: CheckedContinuation<Result<any Sendable, any Error>, Never>
    }

    private struct State {
        /// A batch is running (queued on, or running on, the writer queue).
        var batchRunning = false
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
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<any Sendable, any Error>, Never>) in
            let batch = state.withLock { state -> [Waiter]? in
                state.queue.append(Waiter(work: erased, continuation: continuation))
                guard !state.batchRunning else { return nil }
                state.batchRunning = true
                return take(&state)
            }
            if let batch { run(batch) }
        }
        // The cast cannot fail: the value came from `work`, which returns T.
        return try result.get() as! T
    }

    /// Whether a batch is running, and how many writes wait for the next one (for tests).
    var snapshot: (leading: Bool, queued: Int) {
        state.withLock { ($0.batchRunning, $0.queue.count) }
    }

    /// Takes the next batch off the queue (the oldest writes, at most `maxBatch`).
    private func take(_ state: inout State) -> [Waiter] {
        let count = min(state.queue.count, maxBatch)
        let taken = Array(state.queue.prefix(count))
        state.queue.removeFirst(count)
        return taken
    }

    /// Runs one batch in one transaction on the writer queue, completes its writes, and starts
    /// the next batch when writes queued meanwhile.
    private func run(_ batch: [Waiter]) {
        writer.asyncWrite({ db in
            try batch.map { waiter in
                var outcome: Result<any Sendable, any Error>?
                do {
                    try db.inSavepoint {
                        do {
                            outcome = .success(try waiter.work(db))
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
        }, completion: { _, outcome in
            switch outcome {
            case .success(let results):
                for (waiter, result) in zip(batch, results) { waiter.continuation.resume(returning: result) }
            case .failure(let error):
                // The commit itself failed: nothing of this batch is durable.
                for waiter in batch { waiter.continuation.resume(returning: .failure(error)) }
            }
            let next = self.state.withLock { state -> [Waiter]? in
                guard !state.queue.isEmpty else {
                    state.batchRunning = false
                    return nil
                }
                return self.take(&state)
            }
            if let next { self.run(next) }
        })
    }
}
