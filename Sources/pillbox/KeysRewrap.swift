import ArgumentParser
import Foundation
import PillboxConsole
import PillboxCrypto
import PillboxStore

struct KeysRewrap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewrap",
        abstract: "Wrap the data folder's keys under a new master key (pillboxd stopped).",
        discussion: """
            Rewraps the data, index and audit keys under the new master key, in one transaction; the records \
            themselves are not rewritten. Run it with pillboxd stopped, with the current master key \
            (--data-dir DIR --key-file FILE, or --config FILE). Interrupted, it changed nothing or everything: \
            run it again and it finishes, or says the new key already opens the folder. \
            Exit 0 done (or already done); 64 wrong arguments; 66 no data folder or database; \
            74 an I/O error; 75 pillboxd holds the data folder; 78 a key is refused.
            """)

    @Option(name: .long, help: "The new master key (32 bytes, or 64 hex digits; mode 0600).")
    var newKeyFile: String

    @Option(name: .long, help: "The data folder (with --key-file).")
    var dataDir: String?

    @Option(name: .long, help: "The current master key file (with --data-dir).")
    var keyFile: String?

    @Option(name: .long, help: "pillboxd's configuration file: its data folder and master key.")
    var config: String?

    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    /// The outcome, for `--json`.
    struct Report: Codable {
        var outcome: String
        var keys: Int
        var oldMasterKeyId: String
        var newMasterKeyId: String
    }

    func run() async throws {
        guard config != nil || (dataDir != nil && keyFile != nil) else {
            Output.error(tr("give --data-dir DIR and --key-file FILE (the current master key), or --config FILE",
                            "donnez --data-dir DOSSIER et --key-file FICHIER (la clé maîtresse actuelle), ou --config FICHIER"))
            throw ExitCode(64)
        }
        let folder: OfflineDataFolder
        let newKey: SecretKey
        do {
            folder = try OfflineDataFolder(dataDir: dataDir, keyFile: keyFile, configFile: config)
            newKey = try MasterKeySource.load(keyFile: newKeyFile)
        } catch let error as OfflineError {
            throw error.reported()
        } catch let error as KeyLoadError {
            Output.error(error.message)
            throw ExitCode(78)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.dataDir, isDirectory: &isDirectory), isDirectory.boolValue else {
            Output.error(tr("no data folder at \(folder.dataDir)", "aucun dossier de données à \(folder.dataDir)"))
            throw ExitCode(66)
        }
        let outcome: RewrapOutcome
        do {
            outcome = try folder.withLock(create: true) { () throws -> RewrapOutcome in
                guard FileManager.default.fileExists(atPath: folder.databasePath) else {
                    Output.error(tr("no database in \(folder.dataDir)", "aucune base de données dans \(folder.dataDir)"))
                    throw ExitCode(66)
                }
                do {
                    return try Store.rewrapKeys(path: folder.databasePath, currentKey: folder.masterKey, newKey: newKey)
                } catch let error as StoreError {
                    Output.error(error.code == .wrongKey
                        ? tr("neither the current key (id \(folder.masterKey.keyID)) nor the new key (id \(newKey.keyID)) opens "
                             + "this data folder's keys; nothing was changed",
                             "ni la clé actuelle (id \(folder.masterKey.keyID)) ni la nouvelle (id \(newKey.keyID)) n'ouvre les clés "
                             + "de ce dossier ; rien n'a été changé")
                        : error.message)
                    throw ExitCode(error.code == .wrongKey ? 78 : 74)
                }
            }
        } catch let error as OfflineError {
            throw error.reported()
        }
        if json {
            let count = if case .rewrapped(let keys) = outcome { keys } else { 0 }
            let report = Report(outcome: count > 0 ? "rewrapped" : "already-done", keys: count,
                                oldMasterKeyId: folder.masterKey.keyID, newMasterKeyId: newKey.keyID)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Output.raw(try encoder.encode(report))
            return
        }
        switch outcome {
        case .rewrapped(let keys):
            Output.line(tr("\(keys) keys rewrapped: the data folder now opens with the new master key (id \(newKey.keyID)) "
                           + "and no longer with the old one (id \(folder.masterKey.keyID)).",
                           "\(keys) clés réemballées : le dossier s'ouvre maintenant avec la nouvelle clé maîtresse "
                           + "(id \(newKey.keyID)) et plus avec l'ancienne (id \(folder.masterKey.keyID))."))
        case .alreadyDone:
            Output.line(tr("Nothing to do: the new master key (id \(newKey.keyID)) already opens this data folder.",
                           "Rien à faire : la nouvelle clé maîtresse (id \(newKey.keyID)) ouvre déjà ce dossier."))
        }
        for line in Self.nextSteps(newKeyFile: newKeyFile) { Output.line(line) }
    }

    /// What the technician must do next.
    static func nextSteps(newKeyFile: String) -> [String] {
        [
            "",
            tr("Next:", "Ensuite :"),
            tr("  1. Seal the new key as the daemon's credential:",
               "  1. Scellez la nouvelle clé comme justificatif du service :"),
            "     mv /etc/pillbox/master.key.cred /etc/pillbox/master.key.cred.old",
            "     systemd-creds encrypt --with-key=auto --name=pillbox-master-key \(newKeyFile) /etc/pillbox/master.key.cred",
            tr("     (with LoadCredential= and a plain key file: put the new key at /etc/pillbox/master.key, mode 0600)",
               "     (avec LoadCredential= et un fichier en clair : mettez la nouvelle clé dans /etc/pillbox/master.key, mode 0600)"),
            tr("  2. Escrow the new key (the sealed envelope or the safe): without it, the records are lost.",
               "  2. Mettez la nouvelle clé en dépôt (enveloppe scellée ou coffre) : sans elle, les dossiers sont perdus."),
            tr("  3. Start pillboxd (systemctl start pillboxd), then run pillbox doctor and pillbox keys status.",
               "  3. Démarrez pillboxd (systemctl start pillboxd), puis lancez pillbox doctor et pillbox keys status."),
            tr("  4. Keep the old key (and master.key.cred.old) until pillboxd has started with the new one, then take a "
               + "backup (pillbox backup) and shred \(newKeyFile).",
               "  4. Gardez l'ancienne clé (et master.key.cred.old) jusqu'à ce que pillboxd ait démarré avec la nouvelle, "
               + "puis faites une sauvegarde (pillbox backup) et effacez \(newKeyFile) (shred)."),
            tr("  5. Backups taken before the rewrap open only with the old key: keep its escrow copy as long as you keep them.",
               "  5. Les sauvegardes d'avant ce changement ne s'ouvrent qu'avec l'ancienne clé : gardez sa copie en dépôt "
               + "tant que vous les gardez."),
        ]
    }
}
