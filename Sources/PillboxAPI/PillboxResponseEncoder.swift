import Foundation
import Hummingbird
import PillboxModel

/// Hummingbird's response encoder for the local API (`PillboxRequestContext.responseEncoder`):
/// the shared `JSONCoding.encoder`, `Content-Type: application/json`.
package struct PillboxResponseEncoder: ResponseEncoder {
    package init() {}

    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try Self.response(value)
    }

    /// `value` as a JSON answer.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
                         contentType: String = "application/json") throws -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encoder.encode(value))))
    }
}
