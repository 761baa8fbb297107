import Hummingbird
import Logging

/// Outermost middleware of the FHIR listener: counts the request and applies the fault mode
/// in force when it arrived (`down`, `503`, `429`, `slow`, `flaky`, `reject-bundles`,
/// `forbidden`); the handlers apply `drop-after-commit`, `reject` and `reject-all` from `context.mode`.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let faults: FaultSwitch
    let stats: StatsRecorder

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let mode = faults.mode
        if mode.mode == .down {
            // A connection opened before `down`: close it unanswered.
            stats.record { $0.refusedConnections += 1 }
            await context.channel.abort()
            throw ResponseDropped(reason: "down")
        }
        stats.countRequest()
        var context = context
        context.mode = mode
        switch mode.mode {
        case .unavailable, .tooManyRequests:
            stats.record { $0.faultResponses += 1 }
            let status: HTTPResponse.Status = mode.mode == .unavailable ? .serviceUnavailable : .tooManyRequests
            let issue = FHIRIssue(status, code: mode.mode == .unavailable ? "transient" : "throttled",
                                  "the central record is \(mode.mode == .unavailable ? "unavailable" : "rate limiting"); retry later")
            return FHIRResponse.outcome(issue, headers: [.retryAfter: String(mode.effectiveRetryAfterSeconds)])
        case .flaky where faults.shouldFail(rate: mode.effectiveFailureRate):
            stats.record { $0.faultResponses += 1 }
            return FHIRResponse.outcome(FHIRIssue(.serviceUnavailable, code: "transient",
                                                  "the central record failed this request (flaky mode)"))
        case .rejectBundles where request.method == .post && request.uri.path == "/fhir":
            stats.record { $0.refusedBundles += 1 }
            let status = HTTPResponse.Status(code: mode.effectiveRejectStatus)
            return FHIRResponse.outcome(FHIRIssue(status, code: "invalid",
                                                  "the central record refuses this bundle (reject-bundles mode)"))
        case .forbidden where !(request.method == .get && request.uri.path == "/fhir/metadata"):
            stats.record { $0.faultResponses += 1 }
            return FHIRResponse.outcome(FHIRIssue(.forbidden, code: "forbidden",
                                                  "the client's credentials are not accepted (forbidden mode)"))
        case .slow:
            try await Task.sleep(for: .seconds(mode.effectiveDelaySeconds))
        default:
            break
        }
        return try await next(request, context)
    }
}
