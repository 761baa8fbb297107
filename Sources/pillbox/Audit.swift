import ArgumentParser

/// `pillbox audit`: read and check the audit trail.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the audit trail (tail), check that its chain is unbroken (verify), or archive its oldest entries (archive).",
        subcommands: [AuditTail.self, AuditVerify.self, AuditArchive.self])
}
