import Foundation
import Hummingbird
import PillboxChecks
import PillboxModel
import PillboxWire

/// `POST /v1/checks`: the checks on a prospective dispense; nothing is recorded. Audited as
/// a read of the patient's record.
struct CheckRoutes {
    let dependencies: APIDependencies

    func check(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let now = dependencies.now()
        let body = try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes)
        let dispense = try dependencies.parser.dispense(from: body, now: now).get()
        context.audit.concerns(patient: dispense.patient.nam)
        let outcome = try await CheckRunner(dependencies: dependencies).run(dispense, now: now)
        let answer = CheckResponse(outcome, language: Self.language(request))
        // Written directly (the encoder's bytes); through the encoder only if it must refuse it.
        if let json = answer.jsonBytes { return JSONIO.response(json: json) }
        return try JSONIO.response(answer)
    }

    /// The request's language (`Accept-Language`).
    static func language(_ request: Request) -> Language {
        Language.negotiate(acceptLanguage: request.headers[.acceptLanguage])
    }

    /// The checks on a version just recorded (or replayed), for the write's answer, against
    /// the cached central profile (a write never waits on the central record); nil when they
    /// could not run. A finding never blocks the write.
    static func after(_ record: DispenseRecord, corrects: String? = nil, request: Request,
                      dependencies: APIDependencies, now: Date) async -> CheckResponse? {
        guard let outcome = try? await CheckRunner(dependencies: dependencies)
            .run(record.dispense, ownID: record.id, corrects: corrects, cacheOnly: true, now: now) else { return nil }
        return CheckResponse(outcome, language: language(request))
    }
}
