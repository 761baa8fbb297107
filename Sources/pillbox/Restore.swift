import ArgumentParser
import Foundation
import PillboxConsole
import PillboxCrypto
import PillboxDaemon
import PillboxStore

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place of the data folder (pillboxd must be stopped).",
        discussion: """
            Verifies the backup with the master key first (checksum, SQLite integrity, keys, record count); \
            then renames the current data folder to <folder>.replaced-<time> (kept, never deleted) and puts \
            the backup in its place. Versions the backup holds as sent stay sent; pending ones are uploaded \
            when pillboxd starts. Everything recorded after the backup is not in it.
            Exit codes: 0 restored; 65 the backup is refused (damaged, not a backup, wrong key): nothing was \
            changed; 74 a file operation failed; 75 a pillboxd is using the data folder: stop it first; \
            78 no usable master key or configuration.
            """)

    @Argument(help: "The backup folder (DEST/pillbox-backup-<time>).")
    var source: String

    @Option(name: .long, help: "The data folder to restore into (default: the configuration's dataDir, else /var/lib/pillbox).")
    var dataDir: String?

    @Option(name: .long, help: "The master key file (the escrowed key: 64 hex characters, mode 0600).")
    var keyFile: String?

    @Option(name: .long, help: "pillboxd's configuration file, for dataDir and keyFile.")
    var config: String?

    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    func run() async throws {
        // The folder and the key the way verify and keys rewrap find them; the restore takes the lock itself.
        let folder: OfflineDataFolder
        do {
            folder = try OfflineDataFolder(dataDir: dataDir, keyFile: keyFile, configFile: config)
        } catch {
            throw error.reported()
        }
        let target = folder.dataDir
        let masterKey = folder.masterKey
        let outcome: RestoreOutcome
        do {
            // After the backup's own check, the full check of `pillbox verify` on the backup's database.
            outcome = try DataFolderRestore.restore(backup: source, into: target, masterKey: masterKey,
                                                    deepCheck: { database in try Self.fullCheck(database, masterKey: masterKey) })
        } catch {
            Output.error(tr("restore refused: ", "restauration refusée : ") + error.message)
            switch error.code {
            case .invalid, .wrongKey, .destination: throw ExitCode(65)
            case .daemonRunning, .busy: throw ExitCode(75)
            case .io: throw ExitCode(74)
            }
        }
        if json {
            var object: [String: Any] = [
                "dataFolder": outcome.dataFolder, "records": outcome.manifest.records,
                "backupCreatedAt": outcome.manifest.createdAt, "pendingUploads": outcome.pendingUploads,
            ]
            if let aside = outcome.keptAside { object["keptAside"] = aside }
            Output.raw(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            return
        }
        Output.line(tr("Restored ", "Restauré ") + outcome.dataFolder + tr(" from the backup of ", " depuis la sauvegarde du ")
            + outcome.manifest.createdAt)
        Output.line(tr("Records:          ", "Dossiers :          ") + "\(outcome.manifest.records)")
        Output.line(tr("Pending uploads:  ", "Envois en attente : ") + "\(outcome.pendingUploads)")
        if let aside = outcome.keptAside {
            Output.line(tr("Previous folder kept as ", "Ancien dossier gardé sous ") + aside)
        }
        Output.line(tr("Start the daemon: systemctl start pillboxd, then pillbox status",
                       "Démarrez le service : systemctl start pillboxd, puis pillbox status"))
    }

    /// `pillbox verify`'s checks on a backup's database; throws naming the first problems (ids
    /// only). A backup written by an older Pillbox (the daemon migrates it at its next start)
    /// is left to the backup's own check. Removes the empty `-wal`/`-shm` files it had to create.
    static func fullCheck(_ database: String, masterKey: SecretKey) throws {
        let opened: Result<ReadOnlyStore, StoreError> = Result { () throws(StoreError) in
            try ReadOnlyStore(path: database, masterKey: masterKey)
        }
        guard case .success(let store) = opened else {
            if case .failure(let error) = opened, !error.message.contains("older version") { throw error }
            return
        }
        defer {
            store.close()
            for sidecar in store.createdSidecars { try? FileManager.default.removeItem(atPath: sidecar) }
        }
        let result = try store.verify()
        guard result.isSound else {
            let first = result.problems.prefix(3).map(\.message).joined(separator: "; ")
            throw StoreError(.integrity, "\(result.problems.count) problem(s): \(first)")
        }
    }
}
