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
            let checks = await CheckRoutes.after(record, request: request, dependencies: dependencies, now: now)
            return try JSONIO.response(CheckedRecord(record: record, checks: checks), status: .created,
                                       headers: [.location: "/v1/dispenses/\(record.id)"])
        case .replayed(let record):
            let checks = await CheckRoutes.after(record, request: request, dependencies: dependencies, now: now)
            return try JSONIO.response(CheckedRecord(record: record, checks: checks), status: .ok,
                                       headers: [.location: "/v1/dispenses/\(record.id)"])
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
        if case .changed(let record) = result, record.status == .completed {
            dependencies.central.notifyNewWork()
            let checks = await CheckRoutes.after(record, corrects: id, request: request, dependencies: dependencies, now: now)
            return try JSONIO.response(CheckedRecord(record: record, checks: checks), status: .created,
                                       headers: [.location: "/v1/dispenses/\(record.id)"])
        }
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

/// Maps store failures to problems; a store failure means the change did not happen.
func mapStoreError<T>(_ work: () async throws -> T) async throws -> T {
    do {
        return try await work()
    } catch let error as StoreError {
        switch error.code {
        case .invalidCursor: throw Problem.badQuery("cursor", "is not a cursor this daemon issued; start again without it")
        case .integrity:
            throw Problem(.internalServerError, type: "integrity", title: "Stored record failed authentication",
                          detail: "a stored record failed its integrity check; call a technician (the daemon log names the record id)")
        case .diskFull: throw Problem.diskFull(cause: error.message)
        case .storageFailed: throw Problem.storageFailed(cause: error.message)
        case .wrongKey, .io:
            throw Problem(.serviceUnavailable, type: "store-unavailable", title: "Store unavailable",
                          detail: "the local store could not complete the request; nothing was changed; retry, and call a technician if it persists")
        }
    }
}
