import PillboxModel

/// `POST /v1/verify` (and `pillbox verify --json`, online or offline): what checking the store
/// found. `ok` is true exactly when `problems` is empty.
package struct VerifyReport: Sendable, Equatable, Codable {
    /// Nothing wrong.
    package var ok: Bool
    /// `all` (every check) or `audit` (the audit chain only).
    package var scope: String
    /// Every problem found, in the order checked; each names a record id, outbox entry or audit
    /// sequence number, never patient data.
    package var problems: [VerifyProblem]
    /// How many rows of each kind were checked.
    package var checked: VerifyCounts

    package init(scope: String, problems: [VerifyProblem], checked: VerifyCounts) {
        self.ok = problems.isEmpty
        self.scope = scope
        self.problems = problems
        self.checked = checked
    }
}
