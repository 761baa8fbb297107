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

    /// An answer whose JSON bytes are already written (a profile or a record assembled from
    /// ready fragments), with the headers `response(_:)` sends.
    static func response(json bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
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
        switch buffer.withUnsafeReadableBytes({ JSONValue.parse($0) }) {
        case .success(let value): return value
        case .failure(.duplicateMember): throw Problem.duplicateMember
        case .failure(.malformed): throw Problem.notJSON
        }
    }
}
