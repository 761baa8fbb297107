import Foundation
import Logging
import PillboxCrypto

/// The master key the daemon starts with, and where a new dev key is still to be written.
struct ResolvedMasterKey: Sendable {
    let key: SecretKey
    /// Set when `--dev` generated a new key: the file it goes to once the key has been checked
    /// against the data folder (`persist()`); nil when the key came from a file or credential.
    let pendingDevKeyPath: String?

    /// Writes a newly generated dev key to its file. Called after the key check, with the
    /// data-folder lock held, so that a refused start writes no key.
    func persist() throws(DaemonError) {
        guard let path = pendingDevKeyPath else { return }
        do {
            try MasterKeySource.createDevKey(at: path, key: key)
        } catch {
            throw DaemonError(.key, error.message)
        }
    }
}

/// Finds the master key: `--key-file`, else the systemd credential `pillbox-master-key`,
/// else (dev mode only) a dev key in the data folder, generated in memory when missing.
/// Reads only: nothing is written here.
enum MasterKeyResolver {
    static let devKeyName = "dev-master.key"

    static func resolve(_ configuration: DaemonConfiguration, environment: [String: String],
                        logger: Logger) throws(DaemonError) -> ResolvedMasterKey {
        do {
            if let keyFile = configuration.keyFile {
                return ResolvedMasterKey(key: try MasterKeySource.load(keyFile: keyFile), pendingDevKeyPath: nil)
            }
            if let credentials = environment["CREDENTIALS_DIRECTORY"],
               FileManager.default.fileExists(atPath: "\(credentials)/\(MasterKeySource.credentialName)") {
                return ResolvedMasterKey(key: try MasterKeySource.load(credentialsDirectory: credentials), pendingDevKeyPath: nil)
            }
        } catch {
            throw DaemonError(.key, error.message)
        }
        guard configuration.dev else {
            throw DaemonError(.key, "no master key: pass --key-file FILE (mode 0600, 32 bytes or 64 hex characters) "
                + "or provide the systemd credential \(MasterKeySource.credentialName); --dev generates a dev key")
        }
        let path = (configuration.dataDir as NSString).appendingPathComponent(devKeyName)
        let resolved: ResolvedMasterKey
        var existing = stat()
        if lstat(path, &existing) == 0 {
            do {
                resolved = ResolvedMasterKey(key: try MasterKeySource.load(keyFile: path), pendingDevKeyPath: nil)
            } catch {
                throw DaemonError(.key, error.message)
            }
        } else {
            resolved = ResolvedMasterKey(key: .random(), pendingDevKeyPath: path)
        }
        logger.warning("DEV MODE: using a generated master key stored next to the data; not for real patient data",
                       metadata: ["key.path": "\(path)", "key.id": "\(resolved.key.keyID)"])
        return resolved
    }
}
