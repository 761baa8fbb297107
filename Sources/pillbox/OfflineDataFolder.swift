import Foundation
import Glibc
import PillboxCrypto
import PillboxDaemon
import PillboxStore

/// A data folder opened by the tool itself, with the daemon stopped: `pillbox verify` and
/// `pillbox audit verify` offline, and `pillbox keys rewrap`.
///
/// API:
/// - `OfflineDataFolder(dataDir:keyFile:configFile:)` finds the folder and the master key
///   the way `pillboxd` does: `--config FILE` (else `$PILLBOX_CONFIG`) read by
///   `DaemonConfiguration.resolve`, `--data-dir`/`--key-file` (and `PILLBOX_DATA_DIR`,
///   `PILLBOX_KEY_FILE`) over it; the key from the key file, else the systemd credential in
///   `$CREDENTIALS_DIRECTORY`, else (a `dev` configuration) `dev-master.key` in the folder.
///   Throws `OfflineError` (`.key`, exit 78) when there is no usable key; reads only.
/// - `withLock(create:_:)` runs its body holding the exclusive `flock` on `pillbox.lock`
///   that `pillboxd` holds while it runs, and releases it after; throws `OfflineError`
///   (`.daemonRunning`, exit 75) at once when a daemon holds it. With `create: false` (the
///   default, for readers) a missing `pillbox.lock` is not created: no daemon ever ran there.
///   Writers (restore, rewrap) pass `create: true` and do their whole work inside the body,
///   so that no daemon can start on the folder meanwhile.
/// - `openReadOnly()` checks, under the lock, that no daemon runs and that the master key
///   opens the folder's keys, then returns a `ReadOnlyStore` and releases the lock: a long
///   check does not hold it, so a daemon started meanwhile is not refused (reads of a WAL
///   database by another process are safe). `close(_:)` closes it and removes the empty
///   `-wal`/`-shm` files the read-only connection created, only if the lock can be taken at
///   that moment (a daemon started meanwhile uses them).
struct OfflineDataFolder {
    /// The data folder.
    let dataDir: String
    /// The master key that should open it.
    let masterKey: SecretKey

    var databasePath: String { (dataDir as NSString).appendingPathComponent("pillbox.sqlite") }
    var lockPath: String { (dataDir as NSString).appendingPathComponent("pillbox.lock") }

    init(dataDir: String?, keyFile: String?, configFile: String?,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws(OfflineError) {
        var flags: [String: String] = [:]
        if let dataDir { flags["data-dir"] = dataDir }
        if let keyFile { flags["key-file"] = keyFile }
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.resolve(configFile: configFile, flags: flags, environment: environment)
        } catch {
            throw OfflineError(.configuration, error.message)
        }
        self.dataDir = configuration.dataDir
        do {
            if let path = configuration.keyFile {
                masterKey = try MasterKeySource.load(keyFile: path)
            } else if let credentials = environment["CREDENTIALS_DIRECTORY"],
                      FileManager.default.fileExists(atPath: "\(credentials)/\(MasterKeySource.credentialName)") {
                masterKey = try MasterKeySource.load(credentialsDirectory: credentials)
            } else if configuration.dev {
                masterKey = try MasterKeySource.load(keyFile: (configuration.dataDir as NSString).appendingPathComponent("dev-master.key"))
            } else {
                throw OfflineError(.key, "no master key: pass --key-file FILE, or set keyFile in the configuration file "
                    + "(a key kept as an encrypted systemd credential: see docs/operations.md)")
            }
        } catch let error as OfflineError {
            throw error
        } catch let error as KeyLoadError {
            throw OfflineError(.key, error.message)
        } catch {
            throw OfflineError(.key, "\(error)")
        }
    }

    /// Runs `body` holding the data folder's lock; throws `.daemonRunning` when a daemon holds it.
    func withLock<T>(create: Bool = false, _ body: () throws -> T) throws -> T {
        let descriptor = create ? open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
                                : open(lockPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if descriptor < 0 {
            if errno == ENOENT && !create { return try body() }
            throw OfflineError(.io, "cannot open \(lockPath) (errno \(errno)); run as root or the pillbox user")
        }
        defer { Glibc.close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            throw OfflineError(.daemonRunning, "pillboxd is running on \(dataDir) (it holds \(lockPath)); "
                + "stop it first (systemctl stop pillboxd)")
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Opens the database read-only (see the type's comment).
    func openReadOnly() throws -> ReadOnlyStore {
        try withLock {
            do {
                return try ReadOnlyStore(path: databasePath, masterKey: masterKey)
            } catch let error as StoreError {
                throw OfflineError(error.code == .wrongKey ? .key : .io, error.message)
            }
        }
    }

    /// Closes `store` and removes the sidecars it created when they are empty and no daemon
    /// started meanwhile.
    func close(_ store: ReadOnlyStore) {
        store.close()
        let created = store.createdSidecars
        guard created.count == 2 else { return }
        try? withLock {
            let walSize = (try? FileManager.default.attributesOfItem(atPath: databasePath + "-wal")[.size] as? NSNumber)?.intValue
            if (walSize ?? 0) == 0 {
                for file in created { try? FileManager.default.removeItem(atPath: file) }
            }
        }
    }
}
