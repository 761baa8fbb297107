import Foundation
import Hummingbird
import Logging
import PillboxStore

/// Outermost middleware: finds the caller and its role, turns every error into a problem
/// response, logs the request and makes sure it leaves an audit entry.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = PillboxRequestContext
    let dependencies: APIDependencies
    /// Each connection's caller and role, resolved on its first request.
    let peers = PeerRoleCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let started = ContinuousClock.now
        let dependencies = self.dependencies
        (context.peer, context.role) = await peers.lookup(context.channel) { channel in
            let peer = await dependencies.peerCredentials(channel)
            return (peer, peer.flatMap(dependencies.roles.role(for:)))
        }
        let uid = context.peer?.uid ?? UInt32.max
        if let refusal = dependencies.rateLimiter.admit(uid: uid, limits: dependencies.limits, now: dependencies.now()) {
            // Neither routed nor audited: an entry per refused request would be the disk growth
            // the limit is there to stop. Counted in /v1/status; logged at most once a second.
            if let refused = refusal.refusedSinceLog {
                context.logger.warning("Requests refused: the caller is over its rate limit", metadata: [
                    "peer.uid": "\(context.peer.map { String($0.uid) } ?? "unknown")",
                    "peer.pid": "\(context.peer.map { String($0.pid) } ?? "unknown")",
                    "refused": "\(refused)",
                    "limits.requestsPerSecondPerUid": "\(dependencies.limits.requestsPerSecondPerUid)",
                ])
            }
            return try Problem.rateLimited(retryAfter: refusal.retryAfterSeconds).response(from: request, context: context)
        }
        context.audit = RequestAudit(uid: uid, pid: context.peer?.pid ?? 0,
                                     role: context.role?.rawValue ?? "none", action: context.action(request))
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                context.logger.error("Request failed", metadata: ["error.type": "\(type(of: error))"])
            }
            response = try problem.response(from: request, context: context)
        }
        // Unless a store write recorded it with its change: one entry per patient concerned
        // (a recall returns many), or one without a patient, with the status the caller got.
        if !context.audit.isRecorded {
            let events = context.audit.events(at: dependencies.now(), outcome: response.status.code)
            for event in events { dependencies.auditLog.record(event) }
            // A token per audit entry: a recall page of many patients costs its caller as many.
            dependencies.rateLimiter.charge(uid: uid, tokens: events.count - 1, limits: dependencies.limits)
        }
        context.logger.info("Request served", metadata: [
            "http.method": "\(request.method)",
            "http.route": "\(context.endpointPath ?? "(no route)")",
            "http.status": "\(response.status.code)",
            "peer.uid": "\(context.peer.map { String($0.uid) } ?? "unknown")",
            "peer.pid": "\(context.peer.map { String($0.pid) } ?? "unknown")",
            "duration.ms": "\((ContinuousClock.now - started).milliseconds)",
        ])
        return response
    }
}
