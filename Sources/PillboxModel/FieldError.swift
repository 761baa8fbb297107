/// One failing field of a request body: where it is and what is wrong with it.
///
/// Messages describe the rule, never the submitted value, so that they can be
/// returned to clients and logged without leaking patient data.
package struct FieldError: Sendable, Equatable, Codable, CustomStringConvertible {
    /// JSON path of the field, dot-separated (`patient.nam`, `quantity.value`).
    package var path: String
    /// What rule the field breaks.
    package var message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    package var description: String { "\(path): \(message)" }
}

/// A request body that failed validation; carries every failing field.
package struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every failing field, in document order of the checks.
    package var fields: [FieldError]

    package init(_ fields: [FieldError]) { self.fields = fields }

    package var description: String {
        "invalid request body: " + fields.map(\.description).joined(separator: "; ")
    }
}
