import Foundation
import PillboxAPI
import PillboxChecks
import PillboxModel
import PillboxUpload

/// Every setting of `pillboxd`, with a default for each: the top level of the configuration
/// file, each group a `SettingsGroup` of its own. Built from defaults, then the
/// configuration file, then `PILLBOX_*` environment variables, then flags (`resolve`);
/// checked once at start-up. See docs/configuration.md.
package struct DaemonConfiguration: SettingsGroup {
    /// Where the database (and, in dev mode, the dev key) live.
    package var dataDir = "/var/lib/pillbox"
    /// Path of the Unix socket the API listens on.
    package var socketPath = "/run/pillbox/pillbox.sock"
    /// File holding the 32-byte master key. When nil: the systemd credential
    /// `pillbox-master-key`, then (dev mode only) a generated dev key.
    package var keyFile: String?
    /// Embedded defaults for a first run: local data folder, generated dev key.
    package var dev = false
    /// trace, debug, info, notice, warning, error or critical.
    package var logLevel = "info"
    /// Mode of the socket file (octal in the file, e.g. "0660").
    package var socketMode: UInt32 = 0o660
    /// How often buffered audit entries are written, in milliseconds.
    package var auditFlushMilliseconds = 200
    /// At most one health probe commit per this many seconds (docs/storage.md, "Storage health").
    package var healthProbeSeconds: Double = 15
    /// How long `/v1/status` keeps the facts it reads from disk (keys, ages, free space, last
    /// backup), in seconds; 0 reads them on every call. The storage state is never kept.
    package var statusCacheSeconds: Double = StatusFactsCache.defaultSeconds
    /// Whether each connection's Swift tasks run on the connection's event loop
    /// (`EventLoopPinnedChannel`) instead of Swift's own thread pool: no thread switch between
    /// reading a request, handling it and writing its answer (docs/performance.md, "each
    /// connection's tasks on its event loop"). Read once, at start.
    package var tasksOnEventLoops = true
    /// Roles by user and group, beyond the built-in admins.
    package var roles = RoleSettings()
    /// API limits, field lengths included.
    package var limits = APILimits()
    /// The central record: URL (none means local-only), pharmacy identity, TLS, pacing.
    package var upload = UploadSettings()
    /// Thresholds of the dispensing checks (docs/checks.md).
    package var checks = CheckSettings()
    /// Backups: the age after which `pillbox status` says degraded (docs/operations.md).
    package var backup = BackupSettings()
    /// Pacing of a data-key rotation (docs/operations.md).
    package var keys = KeySettings()

    /// Production defaults (systemd layout).
    package init() {}

    /// Production defaults (systemd layout).
    package static let production = DaemonConfiguration()

    /// Dev-mode defaults: everything under `./pillbox-data`.
    package static let development: DaemonConfiguration = {
        var configuration = production
        configuration.dev = true
        configuration.dataDir = "pillbox-data"
        configuration.socketPath = "pillbox-data/pillbox.sock"
        return configuration
    }()

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    package static var settings: [Setting<DaemonConfiguration>] {
        [
            Setting("dataDir", \.dataDir), Setting("socket", \.socketPath), Setting("keyFile", \.keyFile),
            Setting("dev", \.dev), Setting("logLevel", \.logLevel),
            Setting("socketMode", \.socketMode, as: String.self, read: { text throws(ConfigurationError) in
                guard let mode = UInt32(text, radix: 8) else { throw ConfigurationError([], "must be octal, e.g. \"0660\"") }
                return mode
            }, write: { "0" + String($0, radix: 8) }),
            Setting("auditFlushMilliseconds", \.auditFlushMilliseconds), Setting("healthProbeSeconds", \.healthProbeSeconds),
            Setting("statusCacheSeconds", \.statusCacheSeconds), Setting("tasksOnEventLoops", \.tasksOnEventLoops),
            Setting("roles", \.roles), Setting("limits", \.limits), Setting("central", \.upload),
            Setting("checks", \.checks),
            Setting("backup", \.backup),
            Setting("keys", \.keys),
        ]
    }

    /// `dev` picks the defaults, so it is read first. In dev mode the socket follows the
    /// data folder unless it is set too.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SettingKey.self)
        let dev = try container.decodeIfPresent(Bool.self, forKey: SettingKey("dev")) ?? false
        self = dev ? .development : .production
        try decodeSettings(from: decoder)
        if dev && !container.contains(SettingKey("socket")) {
            socketPath = (dataDir as NSString).appendingPathComponent("pillbox.sock")
        }
    }

    package func validate() throws(ConfigurationError) {
        if dataDir.isEmpty { throw ConfigurationError("dataDir", "must not be empty") }
        // sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
        if socketPath.isEmpty || socketPath.utf8.count > 107 {
            throw ConfigurationError("socket", "must be a path of 1 to 107 bytes (a Unix socket limit); use a shorter path")
        }
        if !Self.logLevels.contains(logLevel) {
            throw ConfigurationError("logLevel", "must be one of " + Self.logLevels.joined(separator: ", "))
        }
        if socketMode > 0o777 { throw ConfigurationError("socketMode", "is out of range: must be at most \"0777\"") }
        try require("auditFlushMilliseconds", auditFlushMilliseconds, in: 10...60_000)
        try require("healthProbeSeconds", healthProbeSeconds, in: 0.1...3600)
        try require("statusCacheSeconds", statusCacheSeconds, in: 0...60)
    }

    /// The role table (`RoleSettings.table`) with this daemon's own user as admin.
    package func roleTable(daemonUID: UInt32) throws(DaemonError) -> RoleTable {
        do {
            return try roles.table(daemonUID: daemonUID)
        } catch {
            throw DaemonError(.configuration, "\(error.under("roles"))")
        }
    }

    /// The effective configuration as the JSON a configuration file would hold (sorted
    /// keys), for `pillboxd --check-config`. Holds no secret: key material is never part of it.
    package func effectiveJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
