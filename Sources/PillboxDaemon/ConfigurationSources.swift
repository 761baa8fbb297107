import Foundation
import PillboxModel

extension DaemonConfiguration {
    /// Resolves the effective configuration: defaults (dev or production), then the file
    /// (`configFile` from `--config`, else `PILLBOX_CONFIG`), then the environment, then
    /// `flags` (by name without dashes, e.g. `"data-dir"`; `"dev"` is `"true"` when given),
    /// each through `SettingOverride.table`; then checks it.
    package static func resolve(configFile: String? = nil, flags: [String: String] = [:],
                               environment: [String: String]) throws(DaemonError) -> DaemonConfiguration {
        let configFile = configFile ?? environment["PILLBOX_CONFIG"]
        var file: [String: JSONValue] = [:]
        if let configFile { file = try loadFile(configFile) }
        for override in SettingOverride.table {
            if let text = environment[override.environment] {
                try override.apply(text, from: "environment \(override.environment)", to: &file)
            }
            if let text = flags[override.flag] {
                try override.apply(text, from: "flag --\(override.flag)", to: &file)
            }
        }
        let configuration: DaemonConfiguration
        do {
            configuration = try JSONDecoder().decode(DaemonConfiguration.self, from: JSONEncoder().encode(JSONValue.object(file)))
        } catch let error as DecodingError {
            let problem = ConfigurationError(error)
            throw DaemonError(.configuration, configFile.map { "configuration file \($0): \(problem)" } ?? "\(problem)")
        } catch {
            throw DaemonError(.configuration, "the configuration cannot be read: \(error)")
        }
        do {
            try configuration.check()
        } catch {
            throw DaemonError(.configuration, "\(error)")
        }
        return configuration
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
}
