import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxModel
import PillboxWire

/// `pillbox audit archive --before DAY --to FOLDER`: the oldest audit entries into a file,
/// then out of the store (docs/audit-archive.md).
struct AuditArchive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Move the audit entries recorded before a day into a file in a folder, and remove them from the store.",
        discussion: """
            pillboxd writes FOLDER/pillbox-audit-<first>-<last>.jsonl, syncs it, reads it back and checks it; only \
            then does it remove those entries from the store. The rest of the trail still verifies (pillbox audit \
            verify, pillbox verify) from an anchor the archive leaves. The folder must be one of backup.folders (or \
            inside one) and writable by pillboxd, as for pillbox backup. How long entries must be kept before they \
            are archived is the pharmacy's decision: --before has no default. Without --yes, the command says what \
            it will move and asks first.
            Exit codes: 0 archived, or nothing to archive; 1 failed: the folder not allowed or unusable, no room on \
            the data folder's disk, or a write or removal that stopped (the message says which and whether anything \
            was removed: run it again once the cause is mended); 65 bad arguments, not confirmed, or the chain is broken (pillbox \
            audit verify); 69 daemon not reachable; 75 another archive is running; 77 not allowed (admin role needed).
            """)

    @Option(name: .long, help: "Archive the entries recorded before this day (YYYY-MM-DD, the appliance's local time; today or earlier).")
    var before: String

    @Option(name: .long, help: "The folder to write the archive file into (e.g. /var/backups/pillbox on a second disk).")
    var to: String

    @Flag(name: .long, help: "Only say what would be archived; write and remove nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Archive without asking first (for scripts).")
    var yes = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard before.utf8.count == 10, before.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else {
            throw ValidationError(tr("--before must be a day, YYYY-MM-DD", "--before doit être un jour, AAAA-MM-JJ"))
        }
    }

    func run() async throws {
        let folder = ((to.hasPrefix("/") ? to : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(to))
                      as NSString).standardizingPath
        if dryRun || !yes {
            guard let plan = try await archive(folder, dryRun: true) else { return }
            guard plan.entries > 0 else {
                Output.line(tr("Nothing recorded before \(before) is left in the audit trail: nothing to archive.",
                               "Rien d'enregistré avant le \(before) ne reste dans le journal d'audit : rien à archiver."))
                return
            }
            for line in Self.planLines(plan, folder: folder) { Output.line(line) }
            if dryRun { return }
            try confirm(plan)
        }
        if Terminal.progressOnStderr {
            // One request, answered at the end: about a minute a million entries on a 2-core machine, longer on a small board.
            FileHandle.standardError.write(Data(tr("Archiving through pillboxd… (`journalctl -u pillboxd -f` shows its progress)\n",
                                                   "Archivage par pillboxd… (`journalctl -u pillboxd -f` montre où il en est)\n").utf8))
        }
        guard let done = try await archive(folder, dryRun: false) else { return }
        guard done.entries > 0, let path = done.path else {
            Output.line(tr("Nothing recorded before \(before) is left in the audit trail: nothing to archive.",
                           "Rien d'enregistré avant le \(before) ne reste dans le journal d'audit : rien à archiver."))
            return
        }
        Output.line(tr("Archived:   ", "Archivé :   ") + Self.range(done))
        Output.line(tr("File:       ", "Fichier :   ") + path)
        if let sha256 = done.sha256 { Output.line("SHA-256:    \(sha256)") }
        if let bytes = done.bytes { Output.line(tr("Size:       ", "Taille :    ") + Human.bytes(bytes)) }
        Output.line(tr("The store keeps the entries from #\((done.lastSeq ?? 0) + 1) on; `pillbox audit verify` checks them from the archive's anchor.",
                       "Le magasin garde les entrées à partir du n° \((done.lastSeq ?? 0) + 1) ; `pillbox audit verify` les vérifie depuis l'ancre de l'archive."))
        Output.line(tr("Keep the file as the pharmacy keeps its other records: it is the access log of a health record.",
                       "Conservez le fichier comme les autres dossiers de la pharmacie : c'est le journal d'accès d'un dossier de santé."))
    }

    /// Asks the daemon; nil with --json (the answer printed as sent).
    func archive(_ folder: String, dryRun: Bool) async throws -> AuditArchiveResponse? {
        var call = connection
        // The dry run before a real archive is not the answer asked for: JSON for the last call only.
        call.json = connection.json && dryRun == self.dryRun
        return try await call.call(LocalAPI.archiveAudit(before: before, destination: folder, dryRun: dryRun),
                                   timeoutSeconds: 6 * 3600)?.value
    }

    /// Asks on a terminal; refuses without one (a script must say --yes).
    func confirm(_ plan: AuditArchiveResponse) throws {
        guard isatty(0) == 1 else {
            Output.error(tr("this removes \(plan.entries) audit entries from the store: add --yes to do it without asking",
                            "cela retire \(plan.entries) entrées du journal d'audit du magasin : ajoutez --yes pour le faire sans question"))
            throw ExitCode(65)
        }
        ConsoleStream.standardOutput.raw(Data(tr("Archive them and remove them from the store? Type yes: ",
                                                 "Les archiver et les retirer du magasin ? Tapez oui : ").utf8))
        let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "yes" || answer == "oui" else {
            Output.error(tr("not confirmed: nothing was archived", "non confirmé : rien n'a été archivé"))
            throw ExitCode(65)
        }
    }

    static func planLines(_ plan: AuditArchiveResponse, folder: String) -> [String] {
        [tr("To archive: ", "À archiver : ") + range(plan),
         tr("Into:       a new file in ", "Dans :       un nouveau fichier de ") + folder
            + tr(", then removed from the store", ", puis retirées du magasin")]
    }

    /// "6 audit entries, #1 to #6, recorded 2026-01-03 09:12:01 to 2026-06-30 17:40:22" (local time).
    static func range(_ answer: AuditArchiveResponse) -> String {
        let times = [answer.firstAt, answer.lastAt].map { text in
            text.flatMap { Timestamps.parseRFC3339($0) }.map { AuditTail.localTime($0.timeIntervalSince1970) } ?? "?"
        }
        return tr("\(answer.entries) audit entries, #\(answer.firstSeq ?? 0) to #\(answer.lastSeq ?? 0), recorded \(times[0]) to \(times[1])",
                  "\(answer.entries) entrées d'audit, n° \(answer.firstSeq ?? 0) à \(answer.lastSeq ?? 0), enregistrées du \(times[0]) au \(times[1])")
    }
}
