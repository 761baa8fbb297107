import Foundation
import Logging
import PillboxCrypto

/// Finds the master key: `--key-file`, else the systemd credential `pillbox-master-key`,
/// else (dev mode only) a dev key generated in the data folder.
enum MasterKeyResolver {
    static let devKeyName = "dev-master.key"

    static func resolve(_ configuration: DaemonConfiguration, environment: [String: String],
                        logger: Logger) throws(DaemonError) -> SecretKey {
        do {
            if let keyFile = configuration.keyFile {
                return try MasterKeySource.load(keyFile: keyFile)
            }
            if let credentials = environment["CREDENTIALS_DIRECTORY"],
               FileManager.default.fileExists(atPath: "\(credentials)/\(MasterKeySource.credentialName)") {
                return try MasterKeySource.load(credentialsDirectory: credentials)
            }
        } catch {
            throw DaemonError(.key, error.message)
        }
        guard configuration.dev else {
            throw DaemonError(.key, "no master key: pass --key-file FILE (mode 0600, 32 bytes or 64 hex characters) "
                + "or provide the systemd credential \(MasterKeySource.credentialName); --dev generates a dev key")
        }
        let path = (configuration.dataDir as NSString).appendingPathComponent(devKeyName)
        do {
            let key: SecretKey
            if FileManager.default.fileExists(atPath: path) {
                key = try MasterKeySource.load(keyFile: path)
            } else {
                key = try MasterKeySource.createDevKey(at: path)
            }
            logger.warning("DEV MODE: using a generated master key stored next to the data; not for real patient data",
                           metadata: ["key.path": "\(path)", "key.id": "\(key.keyID)"])
            return key
        } catch {
            throw DaemonError(.key, error.message)
        }
    }
}
