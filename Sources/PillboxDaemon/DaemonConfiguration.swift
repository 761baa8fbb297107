import PillboxAPI
import PillboxChecks
import PillboxFHIR
import PillboxModel
import PillboxUpload

/// Every setting of `pillboxd`, with a default for each. Built from defaults, then the
/// configuration file, then `PILLBOX_*` environment variables, then flags; validated once
/// at start-up. See docs/configuration.md.
public struct DaemonConfiguration: Sendable, Equatable {
    /// Where the database (and, in dev mode, the dev key) live.
    public var dataDir: String
    /// Path of the Unix socket the API listens on.
    public var socketPath: String
    /// File holding the 32-byte master key. When nil: the systemd credential
    /// `pillbox-master-key`, then (dev mode only) a generated dev key.
    public var keyFile: String?
    /// Embedded defaults for a first run: local data folder, generated dev key.
    public var dev: Bool
    /// trace, debug, info, notice, warning, error or critical.
    public var logLevel: String
    /// Role names by user (name or numeric uid), beyond the built-in admins.
    public var userRoles: [String: Role]
    /// Role names by group (name or numeric gid). Default: `pillbox` → dispense.
    public var groupRoles: [String: Role]
    /// API limits.
    public var limits: APILimits
    /// Field length limits.
    public var validation: ValidationLimits
    /// How often buffered audit entries are written, in milliseconds.
    public var auditFlushMilliseconds: Int
    /// Mode of the socket file (octal in the file, e.g. "0660").
    public var socketMode: UInt32
    /// The central record: URL (none means local-only), pharmacy identity, TLS, pacing.
    public var upload: UploadSettings
    /// At most one health probe commit per this many seconds (docs/storage.md, "Storage health").
    public var healthProbeSeconds: Double = 15
    /// Thresholds of the dispensing checks (docs/checks.md).
    public var checks = CheckSettings()

    /// Production defaults (systemd layout).
    public static let production = DaemonConfiguration(
        dataDir: "/var/lib/pillbox", socketPath: "/run/pillbox/pillbox.sock", keyFile: nil, dev: false,
        logLevel: "info", userRoles: [:], groupRoles: ["pillbox": .dispense], limits: APILimits(),
        validation: .standard, auditFlushMilliseconds: 200, socketMode: 0o660, upload: UploadSettings())

    /// Dev-mode defaults: everything under `./pillbox-data`.
    public static let development: DaemonConfiguration = {
        var configuration = production
        configuration.dev = true
        configuration.dataDir = "pillbox-data"
        configuration.socketPath = "pillbox-data/pillbox.sock"
        return configuration
    }()

    /// Checks values that no type can: ranges, lengths, names that must exist.
    public func validate() throws(DaemonError) {
        func fail(_ setting: String, _ why: String) -> DaemonError {
            DaemonError(.configuration, "setting \(setting): \(why)")
        }
        if dataDir.isEmpty { throw fail("dataDir", "must not be empty") }
        // sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
        if socketPath.isEmpty || socketPath.utf8.count > 107 {
            throw fail("socket", "must be a path of 1 to 107 bytes (a Unix socket limit); use a shorter path")
        }
        if !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) {
            throw fail("logLevel", "must be one of trace, debug, info, notice, warning, error, critical")
        }
        let checks: [(String, Bool)] = [
            ("limits.maxBodyBytes", (1024...16 * 1024 * 1024).contains(limits.maxBodyBytes)),
            ("limits.maxHeaderBytes", (1024...1024 * 1024).contains(limits.maxHeaderBytes)),
            ("limits.requestTimeoutSeconds", limits.requestTimeoutSeconds > 0 && limits.requestTimeoutSeconds <= 3600),
            ("limits.idleTimeoutSeconds", limits.idleTimeoutSeconds > 0 && limits.idleTimeoutSeconds <= 86_400),
            ("limits.maxConnections", (1...10_000).contains(limits.maxConnections)),
            ("limits.maxPageSize", (1...10_000).contains(limits.maxPageSize)),
            ("limits.maxOpenConnections", (1...100_000).contains(limits.maxOpenConnections)),
            ("limits.maxConnectionsPerPeer", (1...10_000).contains(limits.maxConnectionsPerPeer)),
            ("limits.responseTimeoutSeconds", limits.responseTimeoutSeconds > 0 && limits.responseTimeoutSeconds <= 3600),
            ("limits.listenBacklog", (1...65_535).contains(limits.listenBacklog)),
            ("limits.maxShortText", (16...10_000).contains(validation.maxShortText)),
            ("limits.maxLongText", (64...100_000).contains(validation.maxLongText)),
            ("auditFlushMilliseconds", (10...60_000).contains(auditFlushMilliseconds)),
            ("socketMode", socketMode <= 0o777),
            ("healthProbeSeconds", healthProbeSeconds >= 0.1 && healthProbeSeconds <= 3600),
        ]
        for (setting, ok) in checks where !ok {
            throw fail(setting, "is out of range; see docs/configuration.md for the allowed values")
        }
        if limits.maxOpenConnections < limits.maxConnections {
            throw fail("limits.maxOpenConnections", "must be at least limits.maxConnections (the hard cap is above the soft one)")
        }
        if let problem = upload.validate() { throw DaemonError(.configuration, "setting \(problem)") }
        do { try self.checks.validate() } catch { throw DaemonError(.configuration, error.description) }
        _ = try roleTable(daemonUID: 0)
    }

    /// The role table: root and the daemon's own user are admin, then the configured
    /// users and groups. Names that do not exist on this system are configuration errors;
    /// the default `pillbox` group is skipped silently when absent.
    public func roleTable(daemonUID: UInt32) throws(DaemonError) -> RoleTable {
        var table = RoleTable(users: [0: .admin])
        table.users[daemonUID] = .admin
        for (name, role) in userRoles {
            guard let uid = UInt32(name) ?? RoleTable.userID(named: name) else {
                throw DaemonError(.configuration, "setting roles.users: no user \"\(name)\" on this system")
            }
            table.users[uid] = role
        }
        for (name, role) in groupRoles {
            guard let gid = UInt32(name) ?? RoleTable.groupID(named: name) else {
                if name == "pillbox" && groupRoles == Self.production.groupRoles { continue }
                throw DaemonError(.configuration, "setting roles.groups: no group \"\(name)\" on this system")
            }
            table.groups[gid] = role
        }
        return table
    }
}
