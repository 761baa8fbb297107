import Foundation
import Hummingbird

/// FHIR JSON responses.
enum FHIRResponse {
    /// The FHIR JSON media type, used for every FHIR answer.
    static let contentType = "application/fhir+json"

    /// `body` as FHIR JSON with `status` and extra `headers`.
    static func json(_ body: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `value` as FHIR JSON.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(value.encoded(), status: status, headers: headers)
    }

    /// The `OperationOutcome` of `issue`, with its status.
    static func outcome(_ issue: FHIRIssue, headers: HTTPFields = [:]) -> Response {
        json(issue.operationOutcome, status: issue.status, headers: headers)
    }

    /// The weak ETag of a version: `W/"3"`.
    static func etag(_ versionId: Int) -> String { "W/\"\(versionId)\"" }
}
