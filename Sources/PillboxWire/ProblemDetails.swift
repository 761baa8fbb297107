import PillboxModel

/// The RFC 9457 body of every failing answer (`application/problem+json`). Titles and
/// details never contain patient data.
package struct ProblemDetails: Sendable, Equatable, Codable {
    /// A URI naming the problem type, under `https://pillbox.local/problems/`.
    package var type: String
    package var title: String
    /// The HTTP status, repeated.
    package var status: Int
    package var detail: String
    /// For validation problems: every failing field; absent otherwise.
    package var errors: [FieldError]?

    package init(type: String, title: String, status: Int, detail: String, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }
}
