import Foundation
import Hummingbird

extension FHIREndpoints {
    /// `PUT /fhir/MedicationDispense/{id}`: create (201) or update (200); an unchanged resend
    /// answers 200 with the stored version.
    func update(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        stats.record { $0.entriesReceived += 1 }
        let id = context.parameters.get("id") ?? ""
        let outcome: WriteOutcome
        do {
            let entry = try IncomingDispense.parse(try await body(of: request), urlID: id)
            try checkRejection(entry, mode: context.mode)
            guard let first = try await storeOrIssue([entry]).first else {
                throw FHIRIssue(.internalServerError, code: "exception", "the store returned no outcome")
            }
            outcome = first
        } catch {
            stats.record { $0.entriesRejected += 1 }
            throw error
        }
        count(outcome)
        context.logger.debug("Dispense stored", metadata: [
            "fhir.id": "\(id)", "fhir.version": "\(outcome.resource.versionId)", "fhir.outcome": "\(outcome.label)",
        ])
        if context.mode.mode == .dropAfterCommit { try await drop(context) }
        let stored = outcome.resource
        let status: HTTPResponse.Status = if case .created = outcome { .created } else { .ok }
        return FHIRResponse.json(stored.json, status: status, headers: [
            .eTag: FHIRResponse.etag(stored.versionId),
            .location: "\(baseURL(request))/MedicationDispense/\(id)/_history/\(stored.versionId)",
        ])
    }

    /// Stores entries in one transaction; a database failure becomes a 500 issue.
    func storeOrIssue(_ entries: [IncomingDispense]) async throws -> [WriteOutcome] {
        do {
            return try await store.store(entries, now: Date())
        } catch {
            throw FHIRIssue(.internalServerError, code: "exception", "the central store failed: \((error as? SimulatorError)?.code.rawValue ?? "error")")
        }
    }
}

extension WriteOutcome {
    /// `created`, `updated` or `unchanged`, for logs.
    var label: String {
        switch self {
        case .created: "created"
        case .updated: "updated"
        case .unchanged: "unchanged"
        }
    }
}
