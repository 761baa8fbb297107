import Foundation
import Logging
import PillboxCrypto

extension DaemonConfiguration {
    /// The master key this configuration names (key file, else the systemd credential), for
    /// a tool that opens the data folder while the daemon is stopped. Unlike the daemon, it
    /// never generates a dev key: a dev folder without `dev-master.key` is refused.
    package func offlineMasterKey(environment: [String: String]) throws(DaemonError) -> SecretKey {
        let quiet = Logger(label: "pillbox.offline", factory: { _ in SwiftLogNoOpLogHandler() })
        let resolved = try MasterKeyResolver.resolve(self, environment: environment, logger: quiet)
        guard resolved.pendingDevKeyPath == nil else {
            throw DaemonError(.key, "the data folder \(dataDir) has no \(MasterKeyResolver.devKeyName); give --key-file")
        }
        return resolved.key
    }
}
