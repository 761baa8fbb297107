import ArgumentParser

/// `pillbox audit`: read and check the audit trail.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the audit trail (tail) or check that its chain is unbroken (verify).",
        subcommands: [AuditTail.self, AuditVerify.self])
}
