import Hummingbird

/// A problem reported to a FHIR client: an HTTP status and one `OperationOutcome` issue.
struct FHIRIssue: Error, Sendable, Equatable {
    /// The HTTP status (of the response, or of the batch entry).
    var status: HTTPResponse.Status
    /// The FHIR issue type: invalid, required, value, not-found, not-supported, business-rule,
    /// throttled, transient, too-costly, exception.
    var code: String
    /// Readable explanation; never echoes resource content.
    var diagnostics: String

    init(_ status: HTTPResponse.Status, code: String, _ diagnostics: String) {
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
    }

    /// The `OperationOutcome` resource.
    var operationOutcome: JSONValue {
        [
            "resourceType": "OperationOutcome",
            "issue": [["severity": "error", "code": .string(code), "diagnostics": .string(diagnostics)]],
        ]
    }

    /// The batch entry status line, e.g. `422 Unprocessable Entity`.
    var statusLine: String { FHIRIssue.statusLine(status.code) }

    /// `CODE Reason` with the reason phrases FHIR clients expect.
    static func statusLine(_ code: Int) -> String {
        let reasons = [
            200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            413: "Payload Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Entity",
            429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable",
        ]
        return "\(code) \(reasons[code] ?? HTTPResponse.Status(code: code).reasonPhrase)"
    }
}
