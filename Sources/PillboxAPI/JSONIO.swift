import Foundation
import Hummingbird
import PillboxModel
import PillboxWire

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
