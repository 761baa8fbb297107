/// Backups (docs/operations.md): the `backup` object of the configuration file
/// (docs/configuration.md). Every member has a default; a file may set any subset.
package struct BackupSettings: SettingsGroup {
    /// `pillbox status` says degraded when the last successful backup (or, before the first
    /// one, the creation of the data folder) is older than this many hours; 0 turns the rule
    /// off. Default 26: a daily backup, with two hours to spare.
    package var maxAgeHours = 26
    /// The only folders `POST /v1/backups` may write into (each, or a folder inside it):
    /// absolute paths. The daemon writes wherever an admin asks otherwise, as far as its
    /// sandbox lets it. Default: the backup disk's mount point of the shipped units.
    package var folders = ["/var/backups/pillbox"]

    /// The defaults.
    package init() {}

    package static var settings: [Setting<BackupSettings>] {
        [Setting("maxAgeHours", \.maxAgeHours), Setting("folders", \.folders)]
    }

    /// Checks ranges a type cannot express.
    /// Whether `destination` (absolute, standardized) is one of `folders` or inside one.
    package func allows(_ destination: String) -> Bool {
        folders.contains { folder in
            let base = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            return destination == base || destination.hasPrefix(base == "/" ? "/" : base + "/")
        }
    }

    package func validate() throws(ConfigurationError) {
        try require("maxAgeHours", maxAgeHours, in: 0...8_760)
        if folders.count > 16 { throw ConfigurationError("folders", "holds more than 16 folders") }
        for folder in folders where !folder.hasPrefix("/") || folder.count > 1024 {
            throw ConfigurationError("folders", "must hold absolute paths (got \"\(folder.prefix(64))\")")
        }
    }
}
