import Foundation
import Hummingbird

extension FHIREndpoints {
    /// `POST /fhir` with a `batch` Bundle: each entry judged on its own, the valid ones stored
    /// in one transaction, a `batch-response` with one entry per request entry, in order.
    func batch(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        guard let bundle = JSONValue.parse(try await body(of: request)) else {
            throw FHIRIssue(.badRequest, code: "invalid", "the body is not valid JSON")
        }
        guard bundle["resourceType"]?.stringValue == "Bundle" else {
            throw FHIRIssue(.badRequest, code: "invalid", "POST /fhir expects a Bundle")
        }
        guard bundle["type"]?.stringValue == "batch" else {
            throw FHIRIssue(.badRequest, code: "not-supported", "only Bundles of type batch are supported")
        }
        let rawEntries = bundle["entry"]
        guard rawEntries == nil || rawEntries?.arrayValue != nil else {
            throw FHIRIssue(.badRequest, code: "invalid", "Bundle.entry must be an array")
        }
        let judged = (rawEntries?.arrayValue ?? []).map { raw -> Result<IncomingDispense, FHIRIssue> in
            Result { () throws(FHIRIssue) in
                let entry = try Self.batchEntry(raw)
                try checkRejection(entry, mode: context.mode)
                return entry
            }
        }
        stats.record { stats in
            stats.batches += 1
            stats.entriesReceived += judged.count
        }
        let valid = judged.compactMap { try? $0.get() }
        var outcomes: [WriteOutcome] = []
        if !valid.isEmpty {
            do {
                outcomes = try await storeOrIssue(valid)
            } catch {
                stats.record { $0.entriesRejected += judged.count }
                throw error
            }
        }
        var stored = outcomes.makeIterator()
        var responseEntries: [JSONValue] = []
        for index in judged.indices {
            switch judged[index] {
            case .success:
                guard let outcome = stored.next() else { continue }
                count(outcome)
                responseEntries.append(Self.responseEntry(outcome))
            case .failure(let issue):
                stats.record { $0.entriesRejected += 1 }
                responseEntries.append(["response": ["status": .string(issue.statusLine), "outcome": issue.operationOutcome]])
            }
        }
        context.logger.debug("Batch processed", metadata: [
            "fhir.entries": "\(responseEntries.count)", "fhir.stored": "\(outcomes.count)",
        ])
        if context.mode.mode == .dropAfterCommit { try await drop(context) }
        let response: JSONValue = ["resourceType": "Bundle", "type": "batch-response", "entry": .array(responseEntries)]
        return FHIRResponse.json(response)
    }

    /// Checks one batch entry: a PUT of `MedicationDispense/{id}` with a valid resource.
    static func batchEntry(_ raw: JSONValue) throws(FHIRIssue) -> IncomingDispense {
        guard raw.objectValue != nil else { throw FHIRIssue(.badRequest, code: "invalid", "the entry must be an object") }
        guard let method = raw["request"]?["method"]?.stringValue, let url = raw["request"]?["url"]?.stringValue else {
            throw FHIRIssue(.badRequest, code: "required", "entry.request.method and entry.request.url are required")
        }
        guard method == "PUT" else {
            throw FHIRIssue(.methodNotAllowed, code: "not-supported", "only PUT entries are supported, not \(method)")
        }
        let path = url.hasPrefix("/") ? url.dropFirst() : Substring(url)
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "MedicationDispense", !parts[1].contains("?") else {
            throw FHIRIssue(.badRequest, code: "not-supported", "entry.request.url must be MedicationDispense/{id}")
        }
        guard let resource = raw["resource"] else {
            throw FHIRIssue(.badRequest, code: "required", "entry.resource is required for PUT")
        }
        return try IncomingDispense.check(resource, urlID: String(parts[1]))
    }

    /// The batch-response entry of a stored entry.
    static func responseEntry(_ outcome: WriteOutcome) -> JSONValue {
        let stored = outcome.resource
        let status = if case .created = outcome { 201 } else { 200 }
        return ["response": [
            "status": .string(FHIRIssue.statusLine(status)),
            "location": .string("MedicationDispense/\(stored.id)/_history/\(stored.versionId)"),
            "etag": .string(FHIRResponse.etag(stored.versionId)),
            "lastModified": .string(FHIRDateTime.instant(stored.lastUpdated)),
        ]]
    }
}
