/// The result of a check run: what was found, what could be seen, what could not run.
public struct CheckOutcome: Sendable, Equatable {
    public var findings: [Finding]
    public var coverage: Coverage
    public var skipped: [SkippedCheck]

    /// An outcome with the given content.
    public init(findings: [Finding], coverage: Coverage, skipped: [SkippedCheck]) {
        self.findings = findings
        self.coverage = coverage
        self.skipped = skipped
    }
}
