import Foundation
import Hummingbird
import PillboxFHIR
import PillboxModel
import PillboxStore
import PillboxWire

/// `GET /v1/patients/{nam}/export`: a patient's whole local record as a FHIR R4 Bundle, for a
/// patient's access request or a transfer. Admin only; audited as a read of that patient
/// (action `GET /v1/patients/{nam}/export`, the patient's `patientRef`).
struct ExportRoutes {
    let dependencies: APIDependencies

    func export(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let raw = try context.parameters.require("nam")
        let decoded = raw.removingPercentEncoding ?? raw
        guard decoded.count <= 32, let nam = Identifiers.normalizedNAM(decoded) else {
            throw Problem.badQuery("nam", .namShape)
        }
        context.audit.concerns(patient: nam)
        let limit = dependencies.limits.maxExportDispenses
        let listing = try await mapStoreError { try await dependencies.store.patientRecord(nam: nam, limit: limit + 1) }
        guard listing.entries.count <= limit else { throw Problem.exportTooLarge(limit: limit) }
        let resources = FHIRMapping.patientExport(nam: nam, records: listing.records, unreadable: listing.unreadable.map(\.id),
                                                  pharmacy: dependencies.pharmacy)
        let entries = resources.map { ExportBundle.Entry(fullUrl: $0.fullUrl, resource: $0.resource) }
        let bundle = ExportBundle(timestamp: Timestamps.format(dependencies.now()), entry: entries)
        return try PillboxResponseEncoder.response(bundle, contentType: "application/fhir+json")
    }
}

extension Problem {
    /// 409: the patient has more dispenses than one export may hold.
    static func exportTooLarge(limit: Int) -> Problem {
        Problem(.conflict, type: "export-too-large", title: Phrase("Export too large", fr: "Exportation trop volumineuse"),
                detail: Phrase("this patient has more than \(limit) dispenses, the configured limit of one export "
                                   + "(limits.maxExportDispenses); raise it and export again",
                               fr: "ce patient a plus de \(limit) services, la limite configurée d'une exportation "
                                   + "(limits.maxExportDispenses); augmentez-la et exportez de nouveau"))
    }
}
