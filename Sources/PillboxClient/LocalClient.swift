import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import PillboxWire

/// Talks HTTP/1.1 to `pillboxd` over its Unix socket. Each client has its own connection
/// pool (a daemon restarted on the same socket path starts clean), released when the client
/// goes away.
package final class LocalClient: Sendable {
    package let socketPath: String
    let client: HTTPClient
    let timeout: TimeAmount
    /// Sent as `Accept-Language` (`fr` or `en`), so that problem details come back in the
    /// caller's language; nil sends none (English).
    let acceptLanguage: String?
    /// How long, in all, a request waits out 429 answers (`Retry-After`) before it returns the
    /// 429 (seconds).
    let rateLimitWaitSeconds: Int

    /// The default of `rateLimitWaitSeconds`.
    package static let defaultRateLimitWaitSeconds = 30

    /// How long a request keeps trying to connect by default (seconds).
    package static let defaultConnectSeconds: Int64 = 2

    /// A client for the daemon at `socketPath`. `timeoutSeconds` bounds each request, start to
    /// answer. `connectSeconds` bounds the attempts to connect, retried with backoff while the
    /// socket is missing or refuses (the daemon is down or restarting) or its listen queue is full
    /// (`EAGAIN`: connections not yet accepted); then the request fails with the last reason. The HTTP client's own default is 10 s, which made
    /// a technician wait that long to hear that pillboxd is down.
    package init(socketPath: String, timeoutSeconds: Int64 = 30, connectSeconds: Int64 = LocalClient.defaultConnectSeconds,
                 acceptLanguage: String? = nil, rateLimitWaitSeconds: Int = LocalClient.defaultRateLimitWaitSeconds) {
        self.socketPath = socketPath
        self.acceptLanguage = acceptLanguage
        self.rateLimitWaitSeconds = rateLimitWaitSeconds
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(connectSeconds)
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = .seconds(timeoutSeconds)
    }

    deinit {
        // Starts the pool's shutdown; nothing waits on it.
        _ = client.shutdown()
    }

    /// Sends one request; `path` starts with `/` and may carry a query. A 429 (this uid over
    /// the daemon's rate limit, docs/configuration.md "Requests per caller") is answered
    /// before the daemon reads or changes anything, so the request, a write too, is sent again
    /// after its `Retry-After`, while the waits stay within `rateLimitWaitSeconds`.
    package func send(_ method: String, _ path: String, body: Data? = nil) async throws -> LocalResponse {
        var waited = 0
        while true {
            let response = try await sendOnce(method, path, body: body)
            guard response.status == 429, let wait = response.headers["retry-after"].flatMap(Int.init), wait >= 0,
                  waited + wait <= rateLimitWaitSeconds else { return response }
            try await Task.sleep(for: .seconds(max(wait, 1)))
            waited += max(wait, 1)
        }
    }

    private func sendOnce(_ method: String, _ path: String, body: Data?) async throws -> LocalResponse {
        let absolute = socketPath.hasPrefix("/") ? socketPath : FileManager.default.currentDirectoryPath + "/" + socketPath
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? absolute
        var request = HTTPClientRequest(url: "http+unix://\(encoded)\(path)")
        request.method = .init(rawValue: method)
        if let acceptLanguage { request.headers.add(name: "Accept-Language", value: acceptLanguage) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response: HTTPClientResponse
        do {
            do {
                response = try await client.execute(request, timeout: timeout)
            } catch where Self.mayRetry(method, after: error) {
                // A kept-alive connection the daemon closed (to make room for another client,
                // or idle too long) just as this request went out on it: the daemon read
                // nothing of it. A read is asked once more, on a new connection (RFC 9110
                // 9.2.2); a write is not, so that it can never be recorded twice.
                response = try await client.execute(request, timeout: timeout)
            }
        } catch {
            throw LocalClientError(message: "cannot reach pillboxd at \(socketPath): \(error). Is it running, and may this user open the socket?")
        }
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return LocalResponse(status: Int(response.status.code), headers: headers, body: Data(buffer: buffer))
    }

    /// True when `error` says the connection was closed under the request (reset, or closed
    /// before any answer) and `method` is a read, safe to send again.
    package static func mayRetry(_ method: String, after error: any Error) -> Bool {
        guard method == "GET" || method == "HEAD" else { return false }
        if let error = error as? HTTPClientError { return error == .remoteConnectionClosed }
        if let error = error as? IOError { return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE }
        // The close landed before the request was written (seen in HostileClientTests under load).
        if let error = error as? ChannelError { return error == .ioOnClosedChannel }
        return false
    }

    /// Sends `endpoint`; throws `LocalProblem` when the daemon answers with a status that
    /// does not carry the endpoint's answer.
    package func response<Answer>(to endpoint: LocalEndpoint<Answer>) async throws -> LocalResponse {
        let response = try await send(endpoint.method, endpoint.path, body: endpoint.body)
        guard endpoint.success.contains(response.status) else {
            throw LocalProblem(status: response.status, details: try? response.decode(ProblemDetails.self))
        }
        return response
    }

    /// Sends `endpoint` and decodes its answer. Throws `LocalProblem` for a problem answer,
    /// `LocalClientError` when the daemon cannot be asked, a `DecodingError` when its answer
    /// does not decode.
    package func call<Answer>(_ endpoint: LocalEndpoint<Answer>) async throws -> LocalAnswer<Answer> {
        let response = try await response(to: endpoint)
        return LocalAnswer(value: try response.decode(Answer.self), response: response)
    }
}
