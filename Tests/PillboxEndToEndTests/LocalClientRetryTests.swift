import AsyncHTTPClient
import Foundation
import NIOCore
import PillboxClient
import PillboxTestSupport
import Testing

/// The daemon may close a kept-alive connection at any moment (to make room for another
/// client, or idle too long); a request the client sent on it just then reads "connection
/// reset". A read is asked again on a new connection, a write never (it could be recorded twice).
@Suite("LocalClient: a connection closed under a request")
struct LocalClientRetryTests {
    @Test("A read sent on a connection the daemon resets is asked again on a new one", arguments: [true, false])
    func readIsRetried(reset: Bool) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = try ScriptedServer(path: folder.file("s"), connections: [
            [.answer(#"{"n":1}"#), .close(reset: reset)],
            [.answer(#"{"n":2}"#)],
        ])
        defer { server.stop() }
        let client = LocalClient(socketPath: server.path, timeoutSeconds: 5)
        let first = try await client.send("GET", "/v1/status")
        #expect(first.status == 200)
        #expect(String(decoding: first.body, as: UTF8.self) == #"{"n":1}"#)
        let second = try await client.send("GET", "/v1/status")
        #expect(second.status == 200)
        #expect(String(decoding: second.body, as: UTF8.self) == #"{"n":2}"#)
        #expect(server.requests == ["GET /v1/status", "GET /v1/status", "GET /v1/status"])
        #expect(server.accepted == 2)
    }

    @Test("Which failures count as a closed connection: a read is asked again after each, a write after none")
    func closedConnectionErrors() {
        let closed: [any Error] = [HTTPClientError.remoteConnectionClosed, IOError(errnoCode: ECONNRESET, reason: "read"),
                                   IOError(errnoCode: EPIPE, reason: "write"), ChannelError.ioOnClosedChannel]
        #expect(closed.map { LocalClient.mayRetry("GET", after: $0) } == [true, true, true, true])
        #expect(closed.map { LocalClient.mayRetry("POST", after: $0) } == [false, false, false, false])
        #expect(!LocalClient.mayRetry("GET", after: HTTPClientError.readTimeout))
        #expect(!LocalClient.mayRetry("GET", after: ChannelError.connectTimeout(.seconds(1))))
    }

    @Test("A write sent on a connection the daemon resets fails with the reason, and is not sent again")
    func writeIsNotRetried() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = try ScriptedServer(path: folder.file("s"), connections: [
            [.answer(#"{"n":1}"#), .close(reset: true)],
            [.answer(#"{"n":2}"#)],
        ])
        defer { server.stop() }
        let client = LocalClient(socketPath: server.path, timeoutSeconds: 5)
        #expect(try await client.send("GET", "/v1/status").status == 200)
        let error = await #expect(throws: LocalClientError.self) {
            try await client.send("POST", "/v1/dispenses", body: Data("{}".utf8))
        }
        #expect(error?.message.contains("cannot reach pillboxd at \(server.path)") == true)
        // NIO reads the reset as one or the other, depending on when it arrives.
        let reason = error?.message ?? ""
        #expect(reason.contains("Connection reset by peer") || reason.contains("remoteConnectionClosed"), "\(reason)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.requests == ["GET /v1/status", "POST /v1/dispenses"])
        #expect(server.accepted == 1)
    }

    @Test("A read on a fresh connection that is reset is asked once more, not again and again")
    func retriedOnce() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = try ScriptedServer(path: folder.file("s"), connections: [
            [.close(reset: true)], [.close(reset: true)], [.answer(#"{"n":3}"#)],
        ])
        defer { server.stop() }
        let client = LocalClient(socketPath: server.path, timeoutSeconds: 5)
        await #expect(throws: LocalClientError.self) { try await client.send("GET", "/v1/status") }
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.requests == ["GET /v1/status", "GET /v1/status"])
        #expect(server.accepted == 2)
    }
}

/// A 429 (the uid over the daemon's rate limit) is answered before the daemon reads or changes
/// anything, so `pillbox` sends the request again, a write too, after `Retry-After`.
@Suite("LocalClient: 429 answers")
struct LocalClientRateLimitTests {
    @Test("A write answered 429 is sent again after its Retry-After and gets the real answer")
    func waitsAndResends() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = try ScriptedServer(path: folder.file("s"), connections: [[.tooMany(retryAfter: 1), .answer(#"{"n":1}"#)]])
        defer { server.stop() }
        let client = LocalClient(socketPath: server.path, timeoutSeconds: 5)
        let response = try await client.send("POST", "/v1/dispenses", body: Data("{}".utf8))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"n":1}"#)
        #expect(server.requests == ["POST /v1/dispenses", "POST /v1/dispenses"])
    }

    @Test("A Retry-After beyond what is left of rateLimitWaitSeconds returns the 429 at once, sent once")
    func givesUpBeyondItsBudget() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = try ScriptedServer(path: folder.file("s"), connections: [[.tooMany(retryAfter: 5), .answer(#"{"n":1}"#)]])
        defer { server.stop() }
        let client = LocalClient(socketPath: server.path, timeoutSeconds: 5, rateLimitWaitSeconds: 4)
        let response = try await client.send("GET", "/v1/audit")
        #expect(response.status == 429)
        #expect(response.headers["retry-after"] == "5")
        #expect(server.requests == ["GET /v1/audit"])
    }
}

/// A Unix-socket server that follows a script: for each connection in turn, for each request
/// on it, answer 200 with a body, or close (with a reset, or an orderly close) without answering.
final class ScriptedServer: @unchecked Sendable {
    enum Step { case answer(String), close(reset: Bool), tooMany(retryAfter: Int) }

    let path: String
    private let listener: Int32
    private let lock = NSLock()
    private var seen: [String] = []
    private var acceptedCount = 0
    private var open: [Int32] = []

    var requests: [String] { lock.withLock { seen } }
    var accepted: Int { lock.withLock { acceptedCount } }

    init(path: String, connections: [[Step]]) throws {
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = RawSocket.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 8) == 0 else {
            throw DaemonTestError(message: "cannot listen at \(path): errno \(errno)")
        }
        listener = fd
        Thread.detachNewThread { [self] in self.serve(connections) }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.withLock { for fd in open { shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    private func serve(_ connections: [[Step]]) {
        for steps in connections {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            lock.withLock { acceptedCount += 1; open.append(fd) }
            var buffered: [UInt8] = []
            for step in steps {
                guard let line = Self.readRequest(fd, &buffered) else { break }
                lock.withLock { seen.append(line) }
                switch step {
                case .answer(let body):
                    let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                    _ = answer.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                case .tooMany(let retryAfter):
                    let body = #"{"status":429,"type":"https://pillbox.local/problems/rate-limited","title":"Too many requests","detail":"d"}"#
                    let answer = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: \(retryAfter)\r\nContent-Type: application/problem+json\r\n"
                        + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
                    _ = answer.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                case .close(let reset):
                    if reset {
                        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    }
                    close(fd)
                    lock.withLock { open.removeAll { $0 == fd } }
                }
            }
        }
    }

    /// Reads one request (head and `Content-Length` body); returns its method and path, or nil
    /// when the peer closed first.
    private static func readRequest(_ fd: Int32, _ buffered: inout [UInt8]) -> String? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let line = HTTPRequestFraming.takeRequest(from: &buffered) {
                return line.split(separator: " ").prefix(2).joined(separator: " ")
            }
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffered += chunk[..<count]
        }
    }
}
