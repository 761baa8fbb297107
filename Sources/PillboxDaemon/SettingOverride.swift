import PillboxModel

/// A setting that an environment variable and a flag can override, each over the layer
/// before: the configuration file, then the environment, then the flag. The one table of
/// key path ↔ environment variable ↔ flag (docs/configuration.md, "Settings").
package struct SettingOverride: Sendable {
    /// The key path in the configuration file, e.g. `central.url`.
    package let keyPath: String
    /// The environment variable, e.g. `PILLBOX_CENTRAL_URL`.
    package let environment: String
    /// The flag's name without dashes, e.g. `central-url`.
    package let flag: String
    /// A boolean (`1`/`true`/`yes`, `0`/`false`/`no`/empty) rather than a string.
    package let isBoolean: Bool

    init(_ keyPath: String, _ environment: String, _ flag: String, isBoolean: Bool = false) {
        self.keyPath = keyPath
        self.environment = environment
        self.flag = flag
        self.isBoolean = isBoolean
    }

    /// Every override. `PILLBOX_CONFIG` / `--config` names the file and is not a setting.
    package static let table = [
        SettingOverride("dev", "PILLBOX_DEV", "dev", isBoolean: true),
        SettingOverride("dataDir", "PILLBOX_DATA_DIR", "data-dir"),
        SettingOverride("socket", "PILLBOX_SOCKET", "socket"),
        SettingOverride("keyFile", "PILLBOX_KEY_FILE", "key-file"),
        SettingOverride("logLevel", "PILLBOX_LOG_LEVEL", "log-level"),
        SettingOverride("central.url", "PILLBOX_CENTRAL_URL", "central-url"),
    ]

    /// Sets this override's key path in `file` to `text`, parsed; `source` names where the
    /// text came from in an error.
    func apply(_ text: String, from source: String, to file: inout [String: JSONValue]) throws(DaemonError) {
        var value = JSONValue.string(text)
        if isBoolean {
            switch text.lowercased() {
            case "1", "true", "yes": value = .bool(true)
            case "0", "false", "no", "": value = .bool(false)
            default: throw DaemonError(.configuration, "\(source): must be 1/true or 0/false")
            }
        }
        Self.set(value, at: keyPath.split(separator: ".").map(String.init)[...], in: &file)
    }

    static func set(_ value: JSONValue, at path: ArraySlice<String>, in object: inout [String: JSONValue]) {
        guard let key = path.first else { return }
        guard path.count > 1 else {
            object[key] = value
            return
        }
        var inner: [String: JSONValue] = [:]
        switch object[key] {
        case .object(let existing)?: inner = existing
        case nil: break
        default: return  // not an object: decoding refuses it with its path
        }
        set(value, at: path.dropFirst(), in: &inner)
        object[key] = .object(inner)
    }
}
