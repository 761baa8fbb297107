import PillboxCrypto
import PillboxModel

/// What the backup route and the status need from the daemon (`APIDependencies.backup`).
package struct BackupWiring: Sendable {
    /// `backup.maxAgeHours` and the rest of the `backup` settings.
    package var settings: BackupSettings
    /// The master key the daemon opened the store with: each backup's keys are checked to
    /// unwrap under it before the backup counts as good.
    package var masterKey: SecretKey?

    package init(settings: BackupSettings = BackupSettings(), masterKey: SecretKey? = nil) {
        self.settings = settings
        self.masterKey = masterKey
    }
}
