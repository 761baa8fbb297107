import Foundation
import Hummingbird
import PillboxModel
import PillboxWire

/// Hummingbird's response encoder for the local API (`PillboxRequestContext.responseEncoder`):
/// the shared `JSONCoding.encoder`, `Content-Type: application/json`.
public struct PillboxResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
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

/// JSON encoding of responses and decoding of request bodies.
enum JSONIO {
    /// `value` as the answer, encoded as the context's response encoder does.
    static func response(_ value: some WireAnswer, status: HTTPResponse.Status = .ok,
                         headers: HTTPFields = [:]) throws -> Response {
        try PillboxResponseEncoder.response(value, status: status, headers: headers)
    }

    /// Collects the body up to the configured limit and parses it as JSON.
    static func body(of request: Request, limit: Int) async throws -> JSONValue {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw Problem.bodyTooLarge
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem.bodyTooLarge
        }
        do {
            return try JSONCoding.decoder.decode(JSONValue.self, from: Data(buffer: buffer))
        } catch {
            throw Problem.notJSON
        }
    }
}
