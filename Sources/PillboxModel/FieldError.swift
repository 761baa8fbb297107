/// One failing field of a request body: where it is and what is wrong with it.
///
/// Messages describe the rule, never the submitted value, so that they can be
/// returned to clients and logged without leaking patient data.
public struct FieldError: Sendable, Equatable, Codable, CustomStringConvertible {
    /// JSON path of the field, dot-separated (`patient.nam`, `quantity.value`).
    public var path: String
    /// What rule the field breaks.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A request body that failed validation; carries every failing field.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every failing field, in document order of the checks.
    public var fields: [FieldError]

    public init(_ fields: [FieldError]) { self.fields = fields }

    public var description: String {
        "invalid request body: " + fields.map(\.description).joined(separator: "; ")
    }
}
