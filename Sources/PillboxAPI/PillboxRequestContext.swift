import Foundation
import Hummingbird
import NIOCore
import PillboxStore

/// The request context of the local API: the connection, the caller and its role.
package struct PillboxRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The connection the request came on (for its peer credentials).
    package let channel: (any Channel)?
    /// The caller, as the kernel reports it.
    package var peer: PeerCredentials?
    /// The caller's role; nil until the access check ran, and for callers without one.
    package var role: Role?
    /// This request's audit entry: who asked what, set by `AccessMiddleware` before any
    /// handler runs; handlers add the dispense and patients it concerns.
    package var audit = RequestAudit(uid: .max, pid: 0, role: "none", action: "")
    /// Encodes answers: the shared `JSONCoding.encoder`, `application/json`.
    package var responseEncoder: PillboxResponseEncoder { PillboxResponseEncoder() }

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The audit action: method and route template, never the raw path (which can hold a NAM).
    /// The router names the route before any middleware runs; a request that matched none is
    /// `NotFound`, as Hummingbird calls it.
    func action(_ request: Request) -> String {
        "\(request.method.rawValue) \(endpointPath ?? "NotFound")"
    }
}
