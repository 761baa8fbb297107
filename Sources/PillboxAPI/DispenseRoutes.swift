import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import PillboxWire

/// Handlers that record and change dispenses.
struct DispenseRoutes {
    let dependencies: APIDependencies
    var store: Store { dependencies.store }

    func create(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let now = dependencies.now()
        let body = try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes)
        let dispense = try dependencies.parser.dispense(from: body, now: now).get()
        context.audit.concerns(patient: dispense.patient.nam)
        let intake = try await mapStoreError { try await store.recordDispenseAnswering(dispense, now: now, audit: context.audit) }
        switch intake.result {
        case .created(let record):
            let checks = await CheckRoutes.after(record, request: request, dependencies: dependencies, now: now)
            return try Self.created(intake, record: record, checks: checks)
        case .replayed(let record):
            let checks = await CheckRoutes.after(record, request: request, dependencies: dependencies, now: now)
            return try JSONIO.response(RecordedDispense(record: record, checks: checks), status: .ok,
                                       headers: [.location: "/v1/dispenses/\(record.id)"])
        case .conflict(let id):
            throw Problem.dispenseConflict(id: id)
        case .unreadable(let id):
            throw Problem.intakeOfUnreadable(id: id)
        }
    }

    func correct(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        context.audit.concerns(dispense: id)
        let now = dependencies.now()
        let body = try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes)
        let correction = try dependencies.parser.correction(from: body, now: now).get()
        context.audit.concerns(patient: correction.dispense.patient.nam)
        let result = try await mapChangeError(id: id) {
            try await store.correctDispense(id: id, correction: correction, now: now, audit: context.audit)
        }
        if case .changed(let record) = result, record.status == .completed {
            let checks = await CheckRoutes.after(record, corrects: id, request: request, dependencies: dependencies, now: now)
            return try JSONIO.response(RecordedDispense(record: record, checks: checks), status: .created,
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
        let result = try await mapChangeError(id: id) {
            try await store.cancelDispense(id: id, cancellation: cancellation, now: now, audit: context.audit)
        }
        return try respond(to: result)
    }

    /// A new dispense's 201 answer: `RecordedDispense(record:checks:)` as the encoder writes it,
    /// the record's members spliced from the plaintext its version was sealed from
    /// (`RecordedIntake.createdJSON()`), the checks' encoded and merged in.
    static func created(_ intake: RecordedIntake, record: DispenseRecord, checks: CheckResponse?) throws -> Response {
        let headers: HTTPFields = [.location: "/v1/dispenses/\(record.id)"]
        if let recordJSON = intake.createdJSON() {
            guard let checks else { return JSONIO.response(json: recordJSON, status: .created, headers: headers) }
            if let checksJSON = checks.jsonBytes, let answer = SealedJSON.merging(recordJSON, checksJSON) {
                return JSONIO.response(json: answer, status: .created, headers: headers)
            }
        }
        return try JSONIO.response(RecordedDispense(record: record, checks: checks), status: .created, headers: headers)
    }

    private func respond(to result: ChangeResult) throws -> Response {
        switch result {
        case .changed(let record):
            return try JSONIO.response(record, status: .created, headers: [.location: "/v1/dispenses/\(record.id)"])
        case .notFound:
            throw Problem.notFound(.dispense)
        case .refused(let reason):
            throw Problem.changeRefused(reason)
        }
    }
}
