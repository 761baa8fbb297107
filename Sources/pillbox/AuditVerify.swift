import ArgumentParser
import Foundation
import PillboxClient
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

            With --archive FILE, the daemon checks a file written by pillbox audit archive instead (in one of \
            backup.folders): every line, and every hash under this box's audit key (a file written by another \
            box does not hold).

            Exit codes: 0 the chain holds; 1 entries do not hold (listed by sequence number); 69 pillboxd \
            cannot be reached; 74 the database cannot be read; 75 a pillboxd is running on the folder \
            (offline check refused); 77 not an admin; 78 no master key, or it does not open the folder.
            """)

    @Option(name: .long, help: "Check this archive file (from pillbox audit archive) instead of the trail, through the daemon.")
    var archive: String?

    @OptionGroup var offline: OfflineOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if archive != nil && offline.isOffline {
            throw ValidationError(tr("--archive checks through the daemon: leave out --data-dir, --key-file and --config",
                                     "--archive vérifie par pillboxd : retirez --data-dir, --key-file et --config"))
        }
        if offline.isOffline && connection.socket != nil {
            throw ValidationError(tr("--socket checks through the daemon; --data-dir, --key-file and --config check the folder "
                                     + "with the daemon stopped: give one or the other",
                                     "--socket vérifie par pillboxd; --data-dir, --key-file et --config vérifient le dossier "
                                     + "pillboxd arrêté : donnez l'un ou l'autre"))
        }
    }

    func run() async throws {
        if let archive {
            return try await checkArchive(archive)
        }
        let report: VerifyReport
        if offline.isOffline {
            report = try Verify.checkOffline(offline, scope: "audit")
        } else {
            report = try await Verify.checkOnline(connection, scope: "audit")
        }
        try Verify.finish(report, json: connection.json)
    }

    /// `--archive FILE`: exit 0 when every line holds, 1 when one does not.
    func checkArchive(_ file: String) async throws {
        let path = ((file.hasPrefix("/") ? file : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(file))
                    as NSString).standardizingPath
        guard let answer = try await connection.call(LocalAPI.verifyAuditArchive(path: path))?.value else { return }
        guard answer.intact else {
            Output.line(tr("\(path) does not hold: line \(answer.line ?? 0): \(answer.problem ?? "?").",
                           "\(path) n'est pas intact : ligne \(answer.line ?? 0) : \(answer.problem ?? "?")."))
            Output.line(tr("It was edited or cut, or another box wrote it (another audit key).",
                           "Il a été modifié ou tronqué, ou une autre boîte l'a écrit (une autre clé d'audit)."))
            throw ExitCode(1)
        }
        Output.line(tr("\(path): \(answer.entries ?? 0) entries, #\(answer.firstSeq ?? 0) to #\(answer.lastSeq ?? 0); every line holds under this box's audit key.",
                       "\(path) : \(answer.entries ?? 0) entrées, n° \(answer.firstSeq ?? 0) à \(answer.lastSeq ?? 0) ; chaque ligne est intacte sous la clé d'audit de cette boîte."))
        if answer.newest {
            Output.line(tr("The trail in the store goes on from its last entry (the newest archive).",
                           "Le journal du magasin se poursuit à partir de sa dernière entrée (l'archive la plus récente)."))
        }
        Output.line("SHA-256: \(answer.sha256)")
    }
}
