import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// What a request's handlers learn about it along the way, for its audit entry.
public final class AuditNote: Sendable {
    struct Fields {
        var dispenseID: String?
        /// Every patient the request concerned, each once, in the order learnt.
        var patientNAMs: [String] = []
        var recordedByStore = false
    }

    let fields = Mutex(Fields())

    /// The dispense the request concerns. Only well-formed ids are kept: a path segment is
    /// caller input and could carry anything, a NAM included.
    public func concerns(dispense id: String) {
        let kept = UUID(uuidString: id) != nil ? id.lowercased() : "(malformed id)"
        fields.withLock { $0.dispenseID = kept }
    }
    /// The patient the request concerns (normalized NAM; stored only as a keyed hash).
    public func concerns(patient nam: String) { concerns(patients: [nam]) }
    /// Patients the request concerned or returned (a recall's page, a history that changed
    /// patient): the request leaves one audit entry per patient.
    public func concerns(patients nams: [String]) {
        fields.withLock { fields in
            for nam in nams where !fields.patientNAMs.contains(nam) { fields.patientNAMs.append(nam) }
        }
    }
    /// The store wrote the audit entry in the same transaction as the change.
    public func markRecordedByStore() { fields.withLock { $0.recordedByStore = true } }
}

/// The request context of the local API: the connection, the caller and its role.
public struct PillboxRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on (for its peer credentials).
    public let channel: (any Channel)?
    /// The caller, as the kernel reports it.
    public var peer: PeerCredentials?
    /// The caller's role; nil until the access check ran, and for callers without one.
    public var role: Role?
    /// Facts for this request's audit entry.
    public let audit = AuditNote()
    /// Encodes answers: the shared `JSONCoding.encoder`, `application/json`.
    public var responseEncoder: PillboxResponseEncoder { PillboxResponseEncoder() }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }


    /// The audit action: method and route template, never the raw path (which can hold a NAM).
    func action(_ request: Request) -> String {
        "\(request.method.rawValue) \(endpointPath ?? "(no route)")"
    }
}
