/// A setting that cannot be used: where it is (its key path in the configuration file,
/// e.g. `limits.maxBodyBytes`) and what is wrong or what to do. The one error of every
/// settings group's decoding and `validate()`.
package struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key path, outermost first: `["limits", "maxBodyBytes"]`.
    package var path: [String]
    /// What is wrong and what to do; never a secret.
    package var message: String

    /// An error about the setting at `path`.
    package init(_ path: [String], _ message: String) {
        self.path = path
        self.message = message
    }

    /// An error about the setting `key` of the group being validated.
    package init(_ key: String, _ message: String) {
        self.init([key], message)
    }

    /// The key path as written in docs/configuration.md: `limits.maxBodyBytes`.
    package var keyPath: String { path.joined(separator: ".") }

    package var description: String { "setting \(keyPath): \(message)" }

    /// The same error seen from the group that holds this one under `key`.
    package func under(_ key: String) -> ConfigurationError { ConfigurationError([key] + path, message) }

    /// A decoding failure as a configuration error: the key path, and what the value must be.
    package init(_ error: DecodingError) {
        func path(_ context: DecodingError.Context) -> [String] { context.codingPath.map(\.stringValue) }
        switch error {
        case .typeMismatch(let type, let context):
            self.init(path(context), "must be " + Self.describe(type))
        case .valueNotFound(_, let context):
            self.init(path(context), "must not be null; leave the key out to keep its default")
        case .keyNotFound(let key, let context):
            self.init(path(context) + [key.stringValue], "is missing")
        case .dataCorrupted(let context):
            self.init(path(context), context.debugDescription)
        @unknown default:
            self.init([], "\(error)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is Int.Type, is UInt32.Type: "a whole number"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        default: "an object"
        }
    }
}
