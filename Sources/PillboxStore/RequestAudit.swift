import Foundation
import Synchronization

/// The audit entry of one request, from its start to its place in the audit trail: who asked
/// what (fixed when the request arrives), and which dispense and patients it concerned (learnt
/// by its handler). `events(at:outcome:)` is the one factory of the request's audit entries.
///
/// A write that takes it (`recordDispense`, `correctDispense`, `cancelDispense`) writes its
/// entries in the write's own transaction and marks it recorded once that committed; a request
/// whose entry no store write recorded leaves it to the caller (the API's access middleware
/// queues it on the `AuditLog` with the response's status). See docs/audit.md.
package final class RequestAudit: Sendable {
    /// Who asked what (role `none` for a caller without one; the route template, never the
    /// raw path): the fields every entry of the request shares.
    private let caller: AuditEvent

    private struct Learnt {
        var dispenseID: String?
        /// Every patient the request concerned, each once, in the order learnt.
        var patientNAMs: [String] = []
        var recorded = false
    }

    private let learnt = Mutex(Learnt())

    package init(uid: UInt32, pid: Int32, role: String, action: String) {
        caller = AuditEvent(at: .distantPast, uid: uid, pid: pid, role: role, action: action, outcome: 0)
    }

    /// The dispense the request concerns. Only well-formed ids are kept: a path segment is
    /// caller input and could carry anything, a NAM included.
    package func concerns(dispense id: String) {
        let kept = Self.kept(id)
        learnt.withLock { $0.dispenseID = kept }
    }

    /// The patient the request concerns (normalized NAM; stored only as a keyed hash).
    package func concerns(patient nam: String) { concerns(patients: [nam]) }

    /// Patients the request concerned or returned (a recall's page, a history that changed
    /// patient): the request leaves one audit entry per patient.
    package func concerns(patients nams: [String]) {
        learnt.withLock { learnt in
            for nam in nams where !learnt.patientNAMs.contains(nam) { learnt.patientNAMs.append(nam) }
        }
    }

    /// True once a store write committed this request's entries.
    package var isRecorded: Bool { learnt.withLock(\.recorded) }

    /// The request's audit entries: one per patient concerned, in this order: `before`, the
    /// patients learnt, `after` (each once); one without a patient when none is known.
    /// `dispenseID`, when given, names the dispense instead of the one learnt (an intake's new id).
    package func events(at: Date, outcome: Int, dispenseID: String? = nil, before: String? = nil,
                       after: String? = nil) -> [AuditEvent] {
        let learnt = learnt.withLock { $0 }
        var patients: [String] = []
        for nam in [before].compactMap({ $0 }) + learnt.patientNAMs + [after].compactMap({ $0 }) where !patients.contains(nam) {
            patients.append(nam)
        }
        let dispense = dispenseID.map(Self.kept) ?? learnt.dispenseID
        return (patients.isEmpty ? [nil] : patients.map(Optional.some)).map { nam in
            var event = caller
            (event.at, event.outcome, event.dispenseID, event.patientNAM) = (at, outcome, dispense, nam)
            return event
        }
    }

    /// Called by the store once the transaction holding this request's entries committed.
    func markRecorded() { learnt.withLock { $0.recorded = true } }

    private static func kept(_ id: String) -> String {
        lowercasedUUID(id) ?? "(malformed id)"
    }

    /// `id` in lower case when it is a UUID's 36 characters (8-4-4-4-12 hex digits, either case),
    /// else nil. Not `UUID(uuidString:)`: its `sscanf` let through a space inside a group, a
    /// group of the wrong length, a last digit that is not hex, and anything after a NUL
    /// (`RequestAuditTests`), and cost 8,000 instructions, a sixtieth of a single read's.
    static func lowercasedUUID(_ id: String) -> String? {
        var bytes = Array(id.utf8)
        guard bytes.count == 36 else { return nil }
        for (at, byte) in bytes.enumerated() {
            switch (at, byte) {
            case (8, _), (13, _), (18, _), (23, _): guard byte == UInt8(ascii: "-") else { return nil }
            case (_, UInt8(ascii: "0")...UInt8(ascii: "9")), (_, UInt8(ascii: "a")...UInt8(ascii: "f")): break
            case (_, UInt8(ascii: "A")...UInt8(ascii: "F")): bytes[at] = byte + 32
            default: return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
