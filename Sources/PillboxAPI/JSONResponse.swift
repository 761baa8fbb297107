import Foundation
import Hummingbird
import PillboxModel

/// JSON encoding of responses and decoding of request bodies.
enum JSONIO {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok,
                         headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
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
            return try JSONDecoder().decode(JSONValue.self, from: Data(buffer: buffer))
        } catch {
            throw Problem.notJSON
        }
    }
}
