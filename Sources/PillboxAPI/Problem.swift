import Foundation
import Hummingbird
import PillboxModel
import PillboxWire

/// An RFC 9457 problem: the error body every failing request gets
/// (`application/problem+json`). Titles and details never contain patient data.
///
/// Its `title` and `detail` (and its field errors' messages) are written in English and
/// French where the problem is defined (`Phrase`), so neither can be missing; the answer is
/// rendered in the request's language (`Accept-Language`, negotiated as findings are) when
/// it is written. `type` and field paths never change with the language.
package struct Problem: HTTPResponseError, Sendable, Equatable {
    package var status: HTTPResponse.Status
    /// A URI naming the problem type, under `https://pillbox.local/problems/`.
    package var type: String
    package var title: Phrase
    package var detail: Phrase
    /// For validation problems: every failing field.
    package var errors: [FieldError]
    /// Seconds for a `Retry-After` header, when the caller should come back later.
    package var retryAfter: Int?

    package init(_ status: HTTPResponse.Status, type: String, title: Phrase, detail: Phrase, errors: [FieldError] = [],
                 retryAfter: Int? = nil) {
        self.status = status
        self.type = "https://pillbox.local/problems/\(type)"
        self.title = title
        self.detail = detail
        self.errors = errors
        self.retryAfter = retryAfter
    }

    /// The answer's body in `language`.
    package func details(_ language: Language) -> ProblemDetails {
        ProblemDetails(type: type, title: title.text(language), status: status.code, detail: detail.text(language),
                       errors: errors.isEmpty ? nil : errors.map { $0.rendered(language) })
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        try response(Language.negotiate(acceptLanguage: request.headers[.acceptLanguage]))
    }

    /// The answer in `language`.
    package func response(_ language: Language) throws -> Response {
        var headers: HTTPFields = [.contentLanguage: language.rawValue]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return try PillboxResponseEncoder.response(details(language), status: status, headers: headers,
                                                   contentType: "application/problem+json")
    }

    /// A problem for any other error: keeps its status when it has one, never its text
    /// (which could carry data from the request).
    static func from(_ error: any Error) -> Problem {
        if let problem = error as? Problem { return problem }
        if let validation = error as? ValidationError { return .invalid(validation) }
        if let http = error as? any HTTPResponseError {
            switch http.status {
            case .contentTooLarge: return .bodyTooLarge
            case .notFound: return .noRoute
            case .methodNotAllowed: return .methodNotAllowed
            default: return .http(http.status)
            }
        }
        return .internalError
    }
}
