/// A setting that cannot be used: where it is (its key path in the configuration file,
/// e.g. `limits.maxBodyBytes`) and what is wrong or what to do. The one error of every
/// settings group's decoding and `validate()`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key path, outermost first: `["limits", "maxBodyBytes"]`.
    public var path: [String]
    /// What is wrong and what to do; never a secret.
    public var message: String

    /// An error about the setting at `path`.
    public init(_ path: [String], _ message: String) {
        self.path = path
        self.message = message
    }

    /// An error about the setting `key` of the group being validated.
    public init(_ key: String, _ message: String) {
        self.init([key], message)
    }

    /// The key path as written in docs/configuration.md: `limits.maxBodyBytes`.
    public var keyPath: String { path.joined(separator: ".") }

    public var description: String { "setting \(keyPath): \(message)" }

    /// The same error seen from the group that holds this one under `key`.
    public func under(_ key: String) -> ConfigurationError { ConfigurationError([key] + path, message) }

    /// A decoding failure as a configuration error: the key path, and what the value must be.
    public init(_ error: DecodingError) {
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
