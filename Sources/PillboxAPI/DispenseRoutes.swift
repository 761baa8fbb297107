import Foundation
import Hummingbird
import PillboxModel
import PillboxStore

/// Handlers that record and change dispenses.
struct DispenseRoutes {
    let dependencies: APIDependencies
    var store: Store { dependencies.store }

    func create(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let now = dependencies.now()
        let body = try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes)
        let dispense = try dependencies.parser.dispense(from: body, now: now).get()
        context.audit.concerns(patient: dispense.patient.nam)
        let event = auditEvent(request, context, now: now, nam: dispense.patient.nam)
        let result = try await mapStoreError {
            try await store.recordDispense(dispense, now: now) { result in
                switch result {
                case .created(let record): event(201, record.id)
                case .replayed(let record): event(200, record.id)
                case .conflict(let id): event(409, id)
                }
            }
        }
        context.audit.markRecordedByStore()
        switch result {
        case .created(let record):
            dependencies.central.notifyNewWork()
            return try JSONIO.response(record, status: .created, headers: [.location: "/v1/dispenses/\(record.id)"])
        case .replayed(let record):
            return try JSONIO.response(record, status: .ok, headers: [.location: "/v1/dispenses/\(record.id)"])
        case .conflict(let id):
            context.audit.concerns(dispense: id)
            throw Problem(.conflict, type: "dispense-conflict", title: "Conflicting dispense",
                          detail: "pharmacyDispenseId is already recorded with different content as dispense \(id); "
                              + "send a correction to that dispense instead")
        }
    }

    func correct(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        context.audit.concerns(dispense: id)
        let now = dependencies.now()
        let body = try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes)
        let correction = try dependencies.parser.correction(from: body, now: now).get()
        context.audit.concerns(patient: correction.dispense.patient.nam)
        let event = auditEvent(request, context, now: now, nam: correction.dispense.patient.nam)
        let result = try await mapStoreError {
            try await store.correctDispense(id: id, correction: correction, now: now) { event(Self.status(of: $0), id) }
        }
        context.audit.markRecordedByStore()
        return try respond(to: result)
    }

    func cancel(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        context.audit.concerns(dispense: id)
        let now = dependencies.now()
        let body = try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes)
        let cancellation = try dependencies.parser.cancellation(from: body).get()
        let event = auditEvent(request, context, now: now, nam: nil)
        let result = try await mapStoreError {
            try await store.cancelDispense(id: id, cancellation: cancellation, now: now) { event(Self.status(of: $0), id) }
        }
        context.audit.markRecordedByStore()
        return try respond(to: result)
    }

    private static func status(of result: ChangeResult) -> Int {
        switch result {
        case .changed: 201
        case .notFound: 404
        case .refused: 409
        }
    }

    private func respond(to result: ChangeResult) throws -> Response {
        switch result {
        case .changed(let record):
            dependencies.central.notifyNewWork()
            return try JSONIO.response(record, status: .created, headers: [.location: "/v1/dispenses/\(record.id)"])
        case .notFound:
            throw Problem.notFound("dispense")
        case .refused(let reason):
            throw Problem(.conflict, type: "invalid-transition", title: "Change refused", detail: reason)
        }
    }

    /// Builds the audit entry the store writes inside the change's own transaction.
    private func auditEvent(_ request: Request, _ context: PillboxRequestContext, now: Date,
                            nam: String?) -> @Sendable (Int, String?) -> AuditEvent {
        let action = context.action(request)
        let peer = context.peer
        let role = context.role?.rawValue ?? "none"
        return { status, id in
            AuditEvent(at: now, uid: peer?.uid ?? UInt32.max, pid: peer?.pid ?? 0, role: role, action: action,
                       dispenseID: id.map { UUID(uuidString: $0) != nil ? $0.lowercased() : "(malformed id)" },
                       outcome: status, patientNAM: nam)
        }
    }
}
