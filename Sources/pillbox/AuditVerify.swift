import ArgumentParser
import PillboxConsole
import PillboxWire

/// `pillbox audit verify`: the audit chain's check alone, through the daemon or offline.
struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that the audit trail's hash chain is unbroken; every entry that does not hold is listed.",
        discussion: """
            With pillboxd running, the daemon checks its own trail (entries waiting in memory are written \
            first). With pillboxd stopped, give --data-dir and --key-file (or --config). Removing the most \
            recent entries is not detectable (docs/audit.md).

            Exit codes: 0 the chain holds; 1 entries do not hold (listed by sequence number); 69 pillboxd \
            cannot be reached; 74 the database cannot be read; 75 a pillboxd is running on the folder \
            (offline check refused); 77 not an admin; 78 no master key, or it does not open the folder.
            """)

    @OptionGroup var offline: OfflineOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if offline.isOffline && connection.socket != nil {
            throw ValidationError(tr("--socket checks through the daemon; --data-dir, --key-file and --config check the folder "
                                     + "with the daemon stopped: give one or the other",
                                     "--socket vérifie par pillboxd; --data-dir, --key-file et --config vérifient le dossier "
                                     + "pillboxd arrêté : donnez l'un ou l'autre"))
        }
    }

    func run() async throws {
        let report: VerifyReport
        if offline.isOffline {
            report = try Verify.checkOffline(offline, scope: "audit")
        } else {
            report = try await Verify.checkOnline(connection, scope: "audit")
        }
        try Verify.finish(report, json: connection.json)
    }
}
