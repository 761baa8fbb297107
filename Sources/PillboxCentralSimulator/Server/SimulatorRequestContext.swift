import Hummingbird
import NIOCore

/// The FHIR listener's request context: the connection (to drop it) and the fault mode
/// the request is served under, read once when it arrives.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel
    /// The fault mode for this request.
    var mode: FaultMode = .up

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
