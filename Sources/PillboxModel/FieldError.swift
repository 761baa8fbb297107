/// One failing field of a request body: where it is and what is wrong with it.
///
/// Messages describe the rule, never the submitted value, so that they can be
/// returned to clients and logged without leaking patient data.
///
/// The daemon builds each one from a `Phrase` (both languages, so neither can be missing) and
/// renders it in the request's language when it answers (`rendered(_:)`); `message` is the
/// English until then. Equality compares `path` and `message`, the text as it is shown.
package struct FieldError: Sendable, Equatable, Codable, CustomStringConvertible {
    /// JSON path of the field, dot-separated (`patient.nam`, `quantity.value`). Never translated.
    package var path: String
    /// What rule the field breaks: English, or the language it was rendered in; as the daemon
    /// sent it for one decoded from an answer.
    package var message: String
    /// The message in both languages; nil for one decoded from an answer.
    package var phrase: Phrase? = nil

    private enum CodingKeys: String, CodingKey { case path, message }

    /// A field error as shown (e.g. decoded from an answer, or expected by a test).
    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// A field error in both languages; `message` is the English.
    package init(path: String, _ phrase: Phrase) {
        self.path = path
        self.message = phrase.en
        self.phrase = phrase
    }

    /// This error with its message in `language` (unchanged when it has no phrase).
    package func rendered(_ language: Language) -> FieldError {
        var copy = self
        if let phrase { copy.message = phrase.text(language) }
        return copy
    }

    package static func == (lhs: FieldError, rhs: FieldError) -> Bool {
        lhs.path == rhs.path && lhs.message == rhs.message
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
