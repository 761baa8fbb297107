import Foundation

/// A MedicationDispense that passed the simulator's few checks, ready to store.
struct IncomingDispense: Sendable, Equatable {
    /// The resource id (equal to the URL id).
    var id: String
    /// The resource as received (its `meta` is replaced when stored).
    var resource: JSONValue
    /// `subject.identifier.system`, indexed for search.
    var subjectSystem: String
    /// `subject.identifier.value`, indexed for search.
    var subjectValue: String
    /// `identifier[0].value`, for the `reject` mode.
    var identifierValue: String?
    /// `whenHandedOver` in milliseconds since 1970, for search order; nil when absent or unreadable.
    var handedOverMillis: Int64?

    /// FHIR's MedicationDispense status codes.
    static let statuses: Set<String> = [
        "preparation", "in-progress", "cancelled", "on-hold", "completed", "entered-in-error", "stopped",
        "declined", "unknown",
    ]

    /// True for ids FHIR allows: `[A-Za-z0-9\-\.]{1,64}`.
    static func isValidID(_ id: some StringProtocol) -> Bool {
        guard (1...64).contains(id.utf8.count) else { return false }
        return id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E
        }
    }

    /// Checks `body` as the MedicationDispense for `urlID`; throws the issue to report.
    static func parse(_ body: Data, urlID: String) throws(FHIRIssue) -> IncomingDispense {
        guard let resource = JSONValue.parse(body) else {
            throw FHIRIssue(.badRequest, code: "invalid", "the body is not valid JSON")
        }
        return try check(resource, urlID: urlID)
    }

    /// Checks a parsed `resource` as the MedicationDispense for `urlID`.
    static func check(_ resource: JSONValue, urlID: String) throws(FHIRIssue) -> IncomingDispense {
        guard resource.objectValue != nil else {
            throw FHIRIssue(.badRequest, code: "invalid", "the resource must be a JSON object")
        }
        guard resource["resourceType"]?.stringValue == "MedicationDispense" else {
            throw FHIRIssue(.badRequest, code: "invalid", "resourceType must be MedicationDispense")
        }
        guard isValidID(urlID) else {
            throw FHIRIssue(.badRequest, code: "invalid", "the URL id is not a valid FHIR id ([A-Za-z0-9-.]{1,64})")
        }
        guard let id = resource["id"]?.stringValue else {
            throw FHIRIssue(.badRequest, code: "required", "id is required and must equal the URL id")
        }
        guard id == urlID else {
            throw FHIRIssue(.badRequest, code: "invalid", "id \(id.debugDescription) does not equal the URL id \(urlID)")
        }
        guard let status = resource["status"]?.stringValue, !status.isEmpty else {
            throw FHIRIssue(.unprocessableContent, code: "required", "status is required")
        }
        guard statuses.contains(status) else {
            throw FHIRIssue(.unprocessableContent, code: "value",
                            "status must be one of \(statuses.sorted().joined(separator: ", "))")
        }
        let subject = resource["subject"]?["identifier"]
        guard let system = subject?["system"]?.stringValue, !system.isEmpty else {
            throw FHIRIssue(.unprocessableContent, code: "required", "subject.identifier.system is required")
        }
        guard let value = subject?["value"]?.stringValue, !value.isEmpty else {
            throw FHIRIssue(.unprocessableContent, code: "required", "subject.identifier.value is required")
        }
        let identifierValue = resource["identifier"]?.arrayValue?.first?["value"]?.stringValue
        let handedOver = resource["whenHandedOver"]?.stringValue.flatMap(FHIRDateTime.millis)
        return IncomingDispense(id: id, resource: resource, subjectSystem: system, subjectValue: value,
                                identifierValue: identifierValue, handedOverMillis: handedOver)
    }
}
