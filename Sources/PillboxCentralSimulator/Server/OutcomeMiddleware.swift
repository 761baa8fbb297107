import Hummingbird
import Logging
import NIOCore

/// Turns every error below it into a FHIR `OperationOutcome` with `application/fhir+json`,
/// except `ResponseDropped`, which must leave the closed connection unanswered.
struct OutcomeMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let dropped as ResponseDropped {
            throw dropped
        } catch let issue as FHIRIssue {
            return FHIRResponse.outcome(issue)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not-found" : "invalid"
            let diagnostics = error.status == .notFound
                ? "no FHIR route for \(request.method.rawValue) \(request.uri.path)"
                : (error.body ?? error.status.reasonPhrase)
            return FHIRResponse.outcome(FHIRIssue(error.status, code: code, diagnostics), headers: error.headers)
        } catch is NIOTooManyBytesError {
            return FHIRResponse.outcome(FHIRIssue(.contentTooLarge, code: "too-costly", "the body is too large"))
        } catch {
            context.logger.error("FHIR request failed", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            return FHIRResponse.outcome(FHIRIssue(.internalServerError, code: "exception", "internal error"))
        }
    }
}
