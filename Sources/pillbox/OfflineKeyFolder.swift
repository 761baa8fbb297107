import Foundation
import PillboxConsole
import PillboxCrypto
import PillboxDaemon

/// A stopped daemon's data folder, opened by the tool itself (`keys rewrap`): where it is,
/// its master key, and the data folder's lock held meanwhile, so that no daemon starts on it.
/// (`verify` has the same need in OfflineDataFolder.swift; they are to become one.)
struct OfflineKeyFolder {
    let dataDir: String
    let masterKey: SecretKey
    private let lockDescriptor: Int32

    var databasePath: String { (dataDir as NSString).appendingPathComponent("pillbox.sqlite") }

    /// From `--config FILE`, or `--data-dir DIR --key-file FILE`. Throws `OfflineFolderError`.
    init(config: String?, dataDir: String?, keyFile: String?) throws {
        let environment = ProcessInfo.processInfo.environment
        if let config {
            guard dataDir == nil, keyFile == nil else {
                throw OfflineFolderError(64, tr("give either --config, or --data-dir with --key-file, not both",
                                                "donnez soit --config, soit --data-dir avec --key-file, pas les deux"))
            }
            do {
                let configuration = try DaemonConfiguration.resolve(configFile: config, environment: environment)
                self.dataDir = configuration.dataDir
                self.masterKey = try configuration.offlineMasterKey(environment: environment)
            } catch {
                throw OfflineFolderError(78, "\(error)")
            }
        } else {
            guard let dataDir, let keyFile else {
                throw OfflineFolderError(64, tr("give --data-dir DIR and --key-file FILE (the current master key), or --config FILE",
                                                "donnez --data-dir DOSSIER et --key-file FICHIER (la clé maîtresse actuelle), ou --config FICHIER"))
            }
            self.dataDir = dataDir
            self.masterKey = try Self.loadKey(keyFile)
        }
        self.lockDescriptor = try Self.lock(folder: self.dataDir)
    }

    /// Loads a key file (same rules as the daemon: regular file, owner root or the caller, mode 0600 or 0400).
    static func loadKey(_ path: String) throws -> SecretKey {
        do {
            return try MasterKeySource.load(keyFile: path)
        } catch {
            throw OfflineFolderError(78, error.message)
        }
    }

    /// Takes the exclusive lock a running daemon holds on `pillbox.lock`; refused when held.
    private static func lock(folder: String) throws -> Int32 {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OfflineFolderError(66, tr("no data folder at \(folder)", "aucun dossier de données à \(folder)"))
        }
        let path = (folder as NSString).appendingPathComponent("pillbox.lock")
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw OfflineFolderError(74, tr("cannot open \(path) (errno \(errno)); run as root or the pillbox user",
                                            "impossible d'ouvrir \(path) (errno \(errno)); lancez en root ou en utilisateur pillbox"))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            Foundation.close(descriptor)
            throw OfflineFolderError(74, tr("pillboxd is running on \(folder); stop it first (systemctl stop pillboxd)",
                                            "pillboxd tourne sur \(folder); arrêtez-le d'abord (systemctl stop pillboxd)"))
        }
        return descriptor
    }

    /// Releases the lock.
    func close() {
        flock(lockDescriptor, LOCK_UN)
        Foundation.close(lockDescriptor)
    }
}

/// A refusal of an offline command: the message, and the exit code it ends with.
struct OfflineFolderError: Error {
    let code: Int32
    let message: String

    init(_ code: Int32, _ message: String) {
        self.code = code
        self.message = message
    }
}
