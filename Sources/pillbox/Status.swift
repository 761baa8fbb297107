import ArgumentParser
import PillboxClient

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's state: records, uploads, key, database size.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let status = try await connection.call(LocalAPI.status)?.value else { return }
        let central = status.central
        Output.line("Pillbox \(status.version) — up \(status.uptimeSeconds) s")
        Output.line("Records:         \(status.records)")
        Output.line("Pending uploads: \(status.pendingUploads)" + (status.oldestPendingAgeSeconds.map { " (oldest \($0) s)" } ?? ""))
        Output.line("Dead letters:    \(status.deadLetters)")
        if central.configured {
            let reachable = central.reachable.map { $0 ? "reachable" : "UNREACHABLE" } ?? "not tried yet"
            Output.line("Central record:  \(reachable); last success \(central.lastSuccessAt ?? "never")")
            if let error = central.lastError { Output.line("Last error:      \(error)") }
        } else {
            Output.line("Central record:  not configured (local-only mode)")
        }
        Output.line("Master key id:   \(status.keyId)")
        Output.line("Database size:   \(status.databaseBytes) bytes")
        // backup (issue 8): last backup and the backup-age rule.
        Output.line("Last backup:     " + (status.lastBackupAt ?? "never") + (status.backupOverdue == true ? " (OVERDUE)" : ""))
        if status.backupOverdue == true { throw ExitCode(1) }
    }
}
