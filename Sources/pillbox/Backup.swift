import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxStore
import PillboxWire

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take a verified backup of the running daemon's store into a folder.",
        discussion: """
            The daemon writes DEST/pillbox-backup-<time>/ (pillbox.sqlite, still encrypted, and manifest.json), \
            syncs it and verifies it before answering. The folder must be writable by pillboxd (see \
            docs/operations.md). With --keep N, older complete backups beyond the newest N are deleted, \
            only after the new one was verified.
            Exit codes: 0 backup taken and verified; 1 the backup failed (nothing was left in DEST); \
            65 bad arguments; 69 daemon not reachable; 74 the backup was taken but pruning failed; \
            75 another backup into DEST is running; 77 not allowed (admin role needed).
            """)

    @Argument(help: "The folder to write the backup into (e.g. /var/backups/pillbox on a second disk).")
    var destination: String

    @Option(name: .long, help: "Keep only the newest N complete backups in DEST (deleted after the new one verified).")
    var keep: Int?

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        if let keep, keep < 1 {
            Output.error(tr("--keep must be at least 1", "--keep doit valoir au moins 1"))
            throw ExitCode(65)
        }
        let folder = destination.hasPrefix("/") ? destination
            : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(destination)
        let answer = try await takeBackup(into: (folder as NSString).standardizingPath)
        var pruned: [String] = []
        if let keep {
            pruned = try prune((folder as NSString).standardizingPath, keep: keep, newest: answer.value.path)
        }
        if connection.json {
            Output.raw(answer.response.body)
            return
        }
        let backup = answer.value
        Output.line(tr("Backup taken and verified: ", "Sauvegarde faite et vérifiée : ") + backup.path)
        Output.line(tr("Records:    ", "Dossiers :  ") + "\(backup.records) (\(backup.versions) "
            + tr("versions", "versions") + ")")
        Output.line(tr("Size:       ", "Taille :    ") + Human.bytes(backup.databaseBytes))
        Output.line("SHA-256:    \(backup.sha256)")
        Output.line(tr("Needs key:  ", "Clé requise : ") + backup.masterKeyId)
        Output.line(tr("Took:       ", "Durée :     ") + String(format: "%.1f s", backup.seconds))
        for path in pruned { Output.line(tr("Deleted old backup: ", "Ancienne sauvegarde supprimée : ") + path) }
    }

    /// Asks the daemon for the backup, drawing a progress line from the partial copy's size
    /// (on a terminal only).
    func takeBackup(into folder: String) async throws -> LocalAnswer<BackupResponse> {
        let client = connection.client(timeoutSeconds: 6 * 3600)
        var total: Int64 = 0
        if Terminal.progressOnStderr, let status = try? await connection.client()
            .response(to: LocalAPI.status).decode(StatusResponse.self) {
            total = status.databaseBytes
        }
        let watcher = total > 0 ? Task { await Self.watch(folder: folder, total: total) } : nil
        defer { watcher?.cancel() }
        let response: LocalResponse
        do {
            response = try await client.response(to: LocalAPI.backup(destination: folder))
        } catch let problem as LocalProblem {
            watcher?.cancel()
            throw Output.problem(problem)
        } catch {
            Output.error("\(error)")
            throw ExitCode(69)
        }
        watcher?.cancel()
        _ = await watcher?.value
        do {
            return LocalAnswer(value: try response.decode(BackupResponse.self), response: response)
        } catch {
            Output.error(tr("cannot read pillboxd's answer", "réponse de pillboxd illisible") + " (HTTP \(response.status)): \(error)")
            throw ExitCode(76)
        }
    }

    /// Redraws "Backup 12.0 MB/40.0 MB" from the size of the copy being written, until cancelled.
    static func watch(folder: String, total: Int64) async {
        let line = ProgressLine(tr("Backup (kB)", "Sauvegarde (ko)"), total: Int(total / 1000))
        while !Task.isCancelled {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            if let partial = names.first(where: { $0.hasPrefix(".pillbox-backup-") && $0.hasSuffix(".partial") }) {
                let file = ((folder as NSString).appendingPathComponent(partial) as NSString).appendingPathComponent("pillbox.sqlite")
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
                line.update(done: Int(min(size, total) / 1000))
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        line.finish()
    }

    /// Deletes the oldest complete backups in `folder` beyond the newest `keep` (never `newest`).
    func prune(_ folder: String, keep: Int, newest: String) throws -> [String] {
        let backups = BackupFolder.completeBackups(in: folder)
        var deleted: [String] = []
        for path in backups.dropLast(keep) where path != newest {
            do {
                try FileManager.default.removeItem(atPath: path)
                deleted.append(path)
            } catch {
                Output.error(tr("the backup was taken, but \(path) could not be deleted: \(error)",
                                "la sauvegarde est faite, mais \(path) n'a pas pu être supprimée : \(error)"))
                throw ExitCode(74)
            }
        }
        return deleted
    }
}
