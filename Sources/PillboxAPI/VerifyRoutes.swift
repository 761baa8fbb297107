import Hummingbird
import Logging
import PillboxModel
import PillboxStore
import PillboxWire

/// `POST /v1/verify`: checks the daemon's store on a read snapshot while writes go on
/// (docs/operations.md).
struct VerifyRoutes {
    let dependencies: APIDependencies
    static let logger = Logger(label: "pillbox.verify")

    func verify(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let scope = request.uri.queryParameters["scope"].map(String.init) ?? "all"
        let result: StoreVerification
        switch scope {
        case "all":
            result = try await mapStoreError { try await dependencies.store.verify() }
        case "audit":
            // Entries of requests that wrote nothing wait in memory briefly; check them too.
            try await mapStoreError { try await dependencies.auditLog.flush() }
            result = try await mapStoreError { try await dependencies.store.verifyAudit() }
        default:
            throw Problem.badQuery("scope", Phrase("must be all or audit", fr: "doit être all ou audit"))
        }
        for problem in result.problems {
            // Ids and sequence numbers only: the message names nothing else.
            Self.logger.error("Store verification found a problem", metadata: [
                "verify.kind": .string(problem.kind.rawValue), "dispense.id": .string(problem.recordId ?? "-"),
                "audit.seq": .string(problem.auditSeq.map { "\($0)" } ?? "-"), "error.detail": .string(problem.message),
            ])
        }
        return try JSONIO.response(VerifyReport(scope: scope, problems: result.problems, checked: result.checked))
    }
}
