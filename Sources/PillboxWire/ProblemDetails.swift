import PillboxModel

/// The RFC 9457 body of every failing answer (`application/problem+json`). Titles and
/// details never contain patient data.
public struct ProblemDetails: Sendable, Equatable, Codable {
    /// A URI naming the problem type, under `https://pillbox.local/problems/`.
    public var type: String
    public var title: String
    /// The HTTP status, repeated.
    public var status: Int
    public var detail: String
    /// For validation problems: every failing field; absent otherwise.
    public var errors: [FieldError]?

    public init(type: String, title: String, status: Int, detail: String, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }
}
