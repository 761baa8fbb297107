/// One check of `pillbox doctor`: what was checked, how it went, what was found and, when it
/// failed, what to do. Texts are already in the tool's language.
package struct DoctorFinding: Sendable, Equatable, Encodable {
    package enum Outcome: String, Sendable, Equatable, Encodable {
        /// As it should be.
        case pass
        /// Not a failure, but worth a look (e.g. no backup yet on a fresh install).
        case warn
        /// Wrong: `fix` says what to do; `pillbox doctor` exits 1.
        case fail
        /// Could not be checked here (with the reason in `detail`).
        case skip
    }

    /// A stable id for scripts: `key`, `data-folder`, `socket`, `disk`, `clock`, `ntp`, …
    package var check: String
    package var outcome: Outcome
    /// What was found.
    package var detail: String
    /// What to do; set for `fail` and `warn`.
    package var fix: String?

    package init(_ check: String, _ outcome: Outcome, _ detail: String, fix: String? = nil) {
        self.check = check
        self.outcome = outcome
        self.detail = detail
        self.fix = fix
    }
}
