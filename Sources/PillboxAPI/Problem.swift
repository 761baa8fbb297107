import Foundation
import Hummingbird
import PillboxModel
import PillboxWire

/// An RFC 9457 problem: the error body every failing request gets
/// (`application/problem+json`). Titles and details never contain patient data.
package struct Problem: HTTPResponseError, Sendable, Equatable {
    package var status: HTTPResponse.Status
    /// A URI naming the problem type, under `https://pillbox.local/problems/`.
    package var type: String
    package var title: String
    package var detail: String
    /// For validation problems: every failing field.
    package var errors: [FieldError]

    package init(_ status: HTTPResponse.Status, type: String, title: String, detail: String, errors: [FieldError] = []) {
        self.status = status
        self.type = "https://pillbox.local/problems/\(type)"
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    /// The answer's body.
    package var details: ProblemDetails {
        ProblemDetails(type: type, title: title, status: status.code, detail: detail, errors: errors.isEmpty ? nil : errors)
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        try PillboxResponseEncoder.response(details, status: status, contentType: "application/problem+json")
    }

    /// A problem for any other error: keeps its status when it has one, never its text
    /// (which could carry data from the request).
    static func from(_ error: any Error) -> Problem {
        if let problem = error as? Problem { return problem }
        if let validation = error as? ValidationError { return .invalid(validation) }
        if let http = error as? any HTTPResponseError {
            switch http.status {
            case .contentTooLarge: return .bodyTooLarge
            case .notFound: return Problem(.notFound, type: "not-found", title: "Not found", detail: "no such resource")
            case .methodNotAllowed:
                return Problem(.methodNotAllowed, type: "method-not-allowed", title: "Method not allowed",
                               detail: "this resource does not accept that method")
            default:
                return Problem(http.status, type: "http-\(http.status.code)", title: http.status.reasonPhrase,
                               detail: "the request could not be served")
            }
        }
        return Problem(.internalServerError, type: "internal", title: "Internal error",
                       detail: "the daemon could not complete the request; nothing was changed unless a response said so; see the daemon log")
    }

    static func invalid(_ error: ValidationError) -> Problem {
        Problem(.badRequest, type: "validation", title: "Invalid request",
                detail: "\(error.fields.count) field(s) failed validation; see errors", errors: error.fields)
    }

    static let bodyTooLarge = Problem(.contentTooLarge, type: "body-too-large", title: "Request body too large",
                                      detail: "the request body exceeds the configured limit (limits.maxBodyBytes)")

    static let notJSON = Problem(.badRequest, type: "malformed-json", title: "Malformed JSON",
                                 detail: "the request body is not a JSON document")

    static func notFound(_ what: String) -> Problem {
        Problem(.notFound, type: "not-found", title: "Not found", detail: "no \(what) with that id")
    }

    static func badQuery(_ field: String, _ message: String) -> Problem {
        .invalid(ValidationError([FieldError(path: field, message: message)]))
    }
}
