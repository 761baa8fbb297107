import PillboxModel

/// What `Store.verify` and `ReadOnlyStore.verify` found: every problem, in the order checked
/// (SQLite, keys, versions, dispense rows, outbox, cached profiles, audit chain), and how many
/// rows of each kind were checked. Nothing wrong when `problems` is empty.
package struct StoreVerification: Sendable, Equatable {
    package var problems: [VerifyProblem]
    package var checked: VerifyCounts

    package init(problems: [VerifyProblem] = [], checked: VerifyCounts = VerifyCounts()) {
        self.problems = problems
        self.checked = checked
    }

    /// True when nothing is wrong.
    package var isSound: Bool { problems.isEmpty }
}
