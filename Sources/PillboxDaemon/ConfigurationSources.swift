import Foundation
import PillboxAPI
import PillboxChecks
import PillboxModel

/// Settings given on the command line; nil means "not given".
public struct ConfigurationOverrides: Sendable, Equatable {
    public var configFile: String?
    public var dataDir: String?
    public var socketPath: String?
    public var keyFile: String?
    public var dev: Bool?
    public var logLevel: String?
    public var centralURL: String?

    public init(configFile: String? = nil, dataDir: String? = nil, socketPath: String? = nil, keyFile: String? = nil,
                dev: Bool? = nil, logLevel: String? = nil, centralURL: String? = nil) {
        self.centralURL = centralURL
        self.configFile = configFile
        self.dataDir = dataDir
        self.socketPath = socketPath
        self.keyFile = keyFile
        self.dev = dev
        self.logLevel = logLevel
    }
}

extension DaemonConfiguration {
    /// Environment variables read, each overriding the file: PILLBOX_CONFIG, PILLBOX_DATA_DIR,
    /// PILLBOX_SOCKET, PILLBOX_KEY_FILE, PILLBOX_DEV (1/true), PILLBOX_LOG_LEVEL.
    public static let environmentVariables = [
        "PILLBOX_CONFIG", "PILLBOX_DATA_DIR", "PILLBOX_SOCKET", "PILLBOX_KEY_FILE", "PILLBOX_DEV", "PILLBOX_LOG_LEVEL",
        "PILLBOX_CENTRAL_URL",
    ]

    /// Resolves the effective configuration: defaults (dev or production), then the file,
    /// then the environment, then flags; then validates it.
    public static func resolve(overrides: ConfigurationOverrides,
                               environment: [String: String]) throws(DaemonError) -> DaemonConfiguration {
        let configFile = overrides.configFile ?? environment["PILLBOX_CONFIG"]
        var file: [String: JSONValue] = [:]
        if let configFile { file = try loadFile(configFile) }

        var envDev: Bool?
        if let text = environment["PILLBOX_DEV"] {
            switch text.lowercased() {
            case "1", "true", "yes": envDev = true
            case "0", "false", "no", "": envDev = false
            default: throw DaemonError(.configuration, "environment PILLBOX_DEV: must be 1/true or 0/false")
            }
        }
        var fileDev: Bool?
        if case .bool(let value)? = file["dev"] { fileDev = value }
        let dev = overrides.dev ?? envDev ?? fileDev ?? false

        var configuration = dev ? development : production
        try configuration.apply(file: file, source: configFile ?? "")
        configuration.dev = dev
        if let value = environment["PILLBOX_DATA_DIR"] { configuration.moveDataDir(to: value) }
        if let value = environment["PILLBOX_SOCKET"] { configuration.socketPath = value }
        if let value = environment["PILLBOX_KEY_FILE"] { configuration.keyFile = value }
        if let value = environment["PILLBOX_LOG_LEVEL"] { configuration.logLevel = value }
        if let value = environment["PILLBOX_CENTRAL_URL"] { configuration.upload.centralURL = value.isEmpty ? nil : value }
        if let value = overrides.dataDir { configuration.moveDataDir(to: value) }
        if let value = overrides.socketPath { configuration.socketPath = value }
        if let value = overrides.keyFile { configuration.keyFile = value }
        if let value = overrides.logLevel { configuration.logLevel = value }
        if let value = overrides.centralURL { configuration.upload.centralURL = value.isEmpty ? nil : value }
        try configuration.validate()
        return configuration
    }

    /// In dev mode the socket follows the data folder unless it was set on its own.
    mutating func moveDataDir(to path: String) {
        if dev && socketPath == Self.development.socketPath {
            socketPath = (path as NSString).appendingPathComponent("pillbox.sock")
        }
        dataDir = path
    }

    static func loadFile(_ path: String) throws(DaemonError) -> [String: JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DaemonError(.configuration, "configuration file \(path) cannot be read; check the path and its permissions")
        }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw DaemonError(.configuration, "configuration file \(path) is not a JSON object; see docs/configuration.md")
        }
        return object
    }

    mutating func apply(file: [String: JSONValue], source: String) throws(DaemonError) {
        let reader = SettingsReader(source: source)
        try reader.checkKeys(file, allowed: ["dataDir", "socket", "keyFile", "dev", "logLevel", "socketMode", "roles",
                                             "limits", "auditFlushMilliseconds", "central",
                                             "healthProbeSeconds", "checks"], prefix: "")
        if let value = try reader.string(file, "dataDir") { moveDataDir(to: value) }
        if let value = try reader.string(file, "socket") { socketPath = value }
        if let value = try reader.string(file, "keyFile") { keyFile = value }
        if let value = try reader.string(file, "logLevel") { logLevel = value }
        if let value = try reader.string(file, "socketMode") {
            guard let mode = UInt32(value, radix: 8) else { throw reader.fail("socketMode", "must be octal, e.g. \"0660\"") }
            socketMode = mode
        }
        if let value = try reader.int(file, "auditFlushMilliseconds") { auditFlushMilliseconds = value }
        if let value = try reader.number(file, "healthProbeSeconds") { healthProbeSeconds = value }
        if case .bool? = file["dev"] {} else if file["dev"] != nil { throw reader.fail("dev", "must be true or false") }
        if let roles = try reader.object(file, "roles") {
            try reader.checkKeys(roles, allowed: ["users", "groups"], prefix: "roles.")
            if let users = try reader.object(roles, "users", prefix: "roles.") {
                userRoles = try reader.roles(users, prefix: "roles.users.")
            }
            if let groups = try reader.object(roles, "groups", prefix: "roles.") {
                groupRoles = try reader.roles(groups, prefix: "roles.groups.")
            }
        }
        if let central = try reader.object(file, "central") { try applyCentral(central, reader: reader) }
        if let object = try reader.object(file, "checks") { try applyChecks(object, reader: reader) }
        if let limitsObject = try reader.object(file, "limits") {
            let p = "limits."
            try reader.checkKeys(limitsObject, allowed: ["maxBodyBytes", "maxHeaderBytes", "requestTimeoutSeconds",
                                                         "idleTimeoutSeconds", "maxConnections", "maxPageSize",
                                                         "maxShortText", "maxLongText", "maxOpenConnections",
                                                         "maxConnectionsPerPeer", "responseTimeoutSeconds",
                                                         "listenBacklog"], prefix: p)
            if let v = try reader.int(limitsObject, "maxBodyBytes", prefix: p) { limits.maxBodyBytes = v }
            if let v = try reader.int(limitsObject, "maxHeaderBytes", prefix: p) { limits.maxHeaderBytes = v }
            if let v = try reader.number(limitsObject, "requestTimeoutSeconds", prefix: p) { limits.requestTimeoutSeconds = v }
            if let v = try reader.number(limitsObject, "idleTimeoutSeconds", prefix: p) { limits.idleTimeoutSeconds = v }
            if let v = try reader.int(limitsObject, "maxConnections", prefix: p) { limits.maxConnections = v }
            if let v = try reader.int(limitsObject, "maxPageSize", prefix: p) { limits.maxPageSize = v }
            if let v = try reader.int(limitsObject, "maxOpenConnections", prefix: p) { limits.maxOpenConnections = v }
            if let v = try reader.int(limitsObject, "maxConnectionsPerPeer", prefix: p) { limits.maxConnectionsPerPeer = v }
            if let v = try reader.number(limitsObject, "responseTimeoutSeconds", prefix: p) { limits.responseTimeoutSeconds = v }
            if let v = try reader.int(limitsObject, "listenBacklog", prefix: p) { limits.listenBacklog = v }
            if let v = try reader.int(limitsObject, "maxShortText", prefix: p) { validation.maxShortText = v }
            if let v = try reader.int(limitsObject, "maxLongText", prefix: p) { validation.maxLongText = v }
        }
    }
}

extension DaemonConfiguration {
    fileprivate mutating func applyChecks(_ object: [String: JSONValue], reader: SettingsReader) throws(DaemonError) {
        try reader.checkKeys(object, allowed: CheckSettings.memberNames, prefix: "checks.")
        for (key, value) in object {
            guard case .number = value else { throw reader.fail("checks." + key, "must be a number") }
        }
        do {
            checks = try JSONDecoder().decode(CheckSettings.self, from: JSONEncoder().encode(JSONValue.object(object)))
        } catch {
            throw reader.fail("checks", "has a value that is not a whole number where one is needed")
        }
    }

    fileprivate mutating func applyCentral(_ object: [String: JSONValue], reader: SettingsReader) throws(DaemonError) {
        let p = "central."
        try reader.checkKeys(object, allowed: ["url", "pharmacySystem", "pharmacyId", "tls", "batchSize", "backoffInitialSeconds",
                                               "backoffMaxSeconds", "startJitterSeconds", "requestTimeoutSeconds",
                                               "profileBudgetMilliseconds", "idlePollSeconds", "prefetch",
                                               "systemicRefusalThreshold", "configurationRetrySeconds"], prefix: p)
        if let v = try reader.string(object, "url", prefix: p) { upload.centralURL = v.isEmpty ? nil : v }
        if let v = try reader.string(object, "pharmacySystem", prefix: p) { upload.pharmacy.system = v }
        if let v = try reader.string(object, "pharmacyId", prefix: p) { upload.pharmacy.pharmacyID = v }
        if let tls = try reader.object(object, "tls", prefix: p) {
            try reader.checkKeys(tls, allowed: ["certificate", "privateKey", "caBundle"], prefix: p + "tls.")
            guard let certificate = try reader.string(tls, "certificate", prefix: p + "tls."),
                  let key = try reader.string(tls, "privateKey", prefix: p + "tls."),
                  let ca = try reader.string(tls, "caBundle", prefix: p + "tls.") else {
                throw reader.fail(p + "tls", "needs certificate, privateKey and caBundle (PEM file paths)")
            }
            upload.tls = .init(certificate: certificate, privateKey: key, caBundle: ca)
        }
        if let v = try reader.int(object, "batchSize", prefix: p) { upload.batchSize = v }
        if let v = try reader.number(object, "backoffInitialSeconds", prefix: p) { upload.backoffInitialSeconds = v }
        if let v = try reader.number(object, "backoffMaxSeconds", prefix: p) { upload.backoffMaxSeconds = v }
        if let v = try reader.number(object, "startJitterSeconds", prefix: p) { upload.startJitterSeconds = v }
        if let v = try reader.number(object, "requestTimeoutSeconds", prefix: p) { upload.requestTimeoutSeconds = v }
        if let v = try reader.int(object, "profileBudgetMilliseconds", prefix: p) { upload.profileBudgetMilliseconds = v }
        if let v = try reader.number(object, "idlePollSeconds", prefix: p) { upload.idlePollSeconds = v }
        if let v = try reader.int(object, "systemicRefusalThreshold", prefix: p) { upload.systemicRefusalThreshold = v }
        if let v = try reader.number(object, "configurationRetrySeconds", prefix: p) { upload.configurationRetrySeconds = v }
        if let prefetch = try reader.object(object, "prefetch", prefix: p) {
            let q = p + "prefetch."
            try reader.checkKeys(prefetch, allowed: ["recentDays", "refreshAgeMinutes", "requestsPerMinute"], prefix: q)
            if let v = try reader.int(prefetch, "recentDays", prefix: q) { upload.prefetch.recentDays = v }
            if let v = try reader.int(prefetch, "refreshAgeMinutes", prefix: q) { upload.prefetch.refreshAgeMinutes = v }
            if let v = try reader.int(prefetch, "requestsPerMinute", prefix: q) { upload.prefetch.requestsPerMinute = v }
        }
    }
}

/// Typed reads from a configuration file's JSON, with errors that name the setting.
fileprivate struct SettingsReader {
    let source: String

    func fail(_ setting: String, _ why: String) -> DaemonError {
        DaemonError(.configuration, "configuration file \(source): setting \(setting) \(why)")
    }

    func checkKeys(_ object: [String: JSONValue], allowed: Set<String>, prefix: String) throws(DaemonError) {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail(prefix + unknown, "is not a known setting (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ object: [String: JSONValue], _ key: String, prefix: String = "") throws(DaemonError) -> String? {
        guard let value = object[key] else { return nil }
        guard case .string(let text) = value else { throw fail(prefix + key, "must be a string") }
        return text
    }

    func number(_ object: [String: JSONValue], _ key: String, prefix: String = "") throws(DaemonError) -> Double? {
        guard let value = object[key] else { return nil }
        guard case .number(let number) = value else { throw fail(prefix + key, "must be a number") }
        return number
    }

    func int(_ object: [String: JSONValue], _ key: String, prefix: String = "") throws(DaemonError) -> Int? {
        guard let number = try number(object, key, prefix: prefix) else { return nil }
        guard number.rounded() == number, abs(number) < 1e12 else { throw fail(prefix + key, "must be a whole number") }
        return Int(number)
    }

    func object(_ object: [String: JSONValue], _ key: String, prefix: String = "") throws(DaemonError) -> [String: JSONValue]? {
        guard let value = object[key] else { return nil }
        guard case .object(let inner) = value else { throw fail(prefix + key, "must be an object") }
        return inner
    }

    func roles(_ object: [String: JSONValue], prefix: String) throws(DaemonError) -> [String: Role] {
        var roles: [String: Role] = [:]
        for (name, value) in object {
            guard case .string(let text) = value, let role = Role(rawValue: text) else {
                throw fail(prefix + name, "must be \"read\", \"dispense\" or \"admin\"")
            }
            roles[name] = role
        }
        return roles
    }
}
