import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// A response from the daemon.
public struct LocalResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    /// The body as a JSON object, when it is one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}

/// Why the daemon could not be asked.
public struct LocalClientError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Talks HTTP/1.1 to `pillboxd` over its Unix socket. Each client has its own connection
/// pool (a daemon restarted on the same socket path starts clean), released when the client
/// goes away.
public final class LocalClient: Sendable {
    public let socketPath: String
    let client: HTTPClient
    let timeout: TimeAmount

    /// A client for the daemon at `socketPath`.
    public init(socketPath: String, timeoutSeconds: Int64 = 30) {
        self.socketPath = socketPath
        self.client = HTTPClient(eventLoopGroupProvider: .singleton)
        self.timeout = .seconds(timeoutSeconds)
    }

    deinit {
        // Starts the pool's shutdown; nothing waits on it.
        _ = client.shutdown()
    }

    /// Sends one request; `path` starts with `/` and may carry a query.
    public func send(_ method: String, _ path: String, body: Data? = nil) async throws -> LocalResponse {
        let absolute = socketPath.hasPrefix("/") ? socketPath : FileManager.default.currentDirectoryPath + "/" + socketPath
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? absolute
        var request = HTTPClientRequest(url: "http+unix://\(encoded)\(path)")
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw LocalClientError(message: "cannot reach pillboxd at \(socketPath): \(error). Is it running, and may this user open the socket?")
        }
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return LocalResponse(status: Int(response.status.code), headers: headers, body: Data(buffer: buffer))
    }
}
