import Foundation
import Logging

/// The profile fetch's time budget, and what running out of it means.
///
/// A central record that answers nothing within the budget (a black hole that accepts TCP
/// and never answers, or a closed port that AsyncHTTPClient keeps retrying in its reconnect
/// back-off until its 10 s connect timeout) is a failing central record: the fetch is
/// cancelled and counted as a failure in `CentralHealth`, so that `isStruggling` holds for
/// its window and the following profiles answer from the cache at once; once the window has
/// passed, one profile probes again. Without this, a cancelled fetch counted for nothing
/// and every profile waited its whole budget. See docs/upload.md, "Profiles".
extension CentralProfileFetcher {
    /// How one fetch ended against its budget.
    enum BudgetOutcome<T: Sendable>: Sendable {
        /// The fetch ended within the budget: its value, or nil when it failed (a failure it
        /// has recorded itself).
        case finished(T?)
        /// The budget ran out first; the fetch was cancelled.
        case ranOut
    }

    /// Runs `work` (a fetch) within the budget; nil when it failed or the budget ran out.
    /// Running out of the budget cancels it and is recorded as a failure of the central record.
    func withBudget<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async -> T? {
        switch await Self.race(budget: budget, work) {
        case .finished(let value):
            return value
        case .ranOut:
            health.failed(at: now(), error: "profile fetch: no answer within the profile budget (\(budget))", reachable: false)
            logger.warning("Central profile fetch ran out of its budget; profiles answer from the cache until the next probe",
                           metadata: ["central.budget": .string("\(budget)")])
            return nil
        }
    }

    /// Runs `work`, giving up (and cancelling it) after `budget`.
    static func race<T: Sendable>(budget: Duration, _ work: @escaping @Sendable () async throws -> T) async -> BudgetOutcome<T> {
        await withTaskGroup(of: BudgetOutcome<T>.self) { group in
            group.addTask { .finished(try? await work()) }
            group.addTask {
                try? await Task.sleep(for: budget)
                return .ranOut
            }
            let first = await group.next() ?? .ranOut
            group.cancelAll()
            return first
        }
    }
}
