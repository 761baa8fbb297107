/// The result of a check run: what was found, what could be seen, what could not run.
package struct CheckOutcome: Sendable, Equatable {
    package var findings: [Finding]
    package var coverage: Coverage
    package var skipped: [SkippedCheck]

    /// An outcome with the given content.
    package init(findings: [Finding], coverage: Coverage, skipped: [SkippedCheck]) {
        self.findings = findings
        self.coverage = coverage
        self.skipped = skipped
    }
}
