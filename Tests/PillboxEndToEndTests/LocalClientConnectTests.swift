import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// How long the `pillbox` tool keeps trying to connect when pillboxd's socket is missing or
/// refuses: `connectSeconds` (2 by default), not the HTTP client's 10 s default. A technician
/// whose daemon is down hears it at once; a daemon that opens its socket within the window
/// (a restart) is still reached. No stopwatch inside this process: the suites run in parallel,
/// and a loaded run was seen to report a 1 s window's failure 22 s late.
@Suite("LocalClient: connecting to a daemon that is down or restarting", .serialized)
struct LocalClientConnectTests {
    @Test("No socket: the request fails with the connect error, naming the socket")
    func missingSocketFails() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let client = LocalClient(socketPath: folder.file("s"), timeoutSeconds: 30, connectSeconds: 1)
        let error = await #expect(throws: LocalClientError.self) { try await client.send("GET", "/v1/status") }
        #expect(error?.message.contains("cannot reach pillboxd at \(folder.file("s"))") == true)
        #expect(error?.message.contains("No such file or directory") == true, "\(error?.message ?? "")")
    }

    @Test("connectSeconds is the window, not the HTTP client's 10 s: with 60, a daemon that opens its socket after 12 s is reached")
    func windowIsConnectSeconds() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("s")
        let client = LocalClient(socketPath: path, timeoutSeconds: 120, connectSeconds: 60)
        let request = Task { try await client.send("GET", "/v1/status") }
        try await Task.sleep(for: .seconds(12))
        let server = try ScriptedServer(path: path, connections: [[.answer(#"{"late":true}"#)]])
        defer { server.stop() }
        let response = try await request.value
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"late":true}"#)
    }

    @Test("A daemon that opens its socket within the window is reached: connecting is retried, not given up at once")
    func daemonOpeningWithinTheWindowIsReached() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("s")
        let client = LocalClient(socketPath: path, timeoutSeconds: 60, connectSeconds: 30)
        let request = Task { try await client.send("GET", "/v1/status") }
        try await Task.sleep(for: .milliseconds(500))
        let server = try ScriptedServer(path: path, connections: [[.answer(#"{"up":true}"#)]])
        defer { server.stop() }
        let response = try await request.value
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"up":true}"#)
        #expect(server.requests == ["GET /v1/status"])
    }

    @Test("pillbox status with no daemon says DOWN (exit 2) with the reason, after its 1 s window; --connect-seconds 0 is refused")
    func statusWithNoDaemon() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let started = ContinuousClock.now
        let result = try await runPillbox(["status", "--socket", folder.file("s"), "--connect-seconds", "1"])
        let waited = ContinuousClock.now - started
        #expect(result.code == 2)
        #expect(result.out.hasPrefix("State:  DOWN"), "\(result.out)")
        #expect(result.out.contains("No such file or directory"), "\(result.out)")
        // A hang check on a separate process (its own event loops, whatever this test run is
        // doing), not a timing: the window is 1 s; before it, this took the HTTP client's 10 s.
        #expect(waited >= .seconds(1) && waited < .seconds(9), "\(waited)")

        let refused = try await runPillbox(["status", "--socket", folder.file("s"), "--connect-seconds", "0"])
        #expect(refused.code == 64)
        #expect(refused.err.contains("--connect-seconds must be at least 1"), "\(refused.err)")
    }
}

/// A listener that never accepts until told, its queue filled by raw connections, so that a
/// further connect is refused with `EAGAIN` (a Unix socket's full listen queue).
final class FullQueueListener: @unchecked Sendable {
    let path: String
    let listener: Int32
    private(set) var fillers: [Int32] = []

    init(path: String) throws {
        self.path = path
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 0) == 0 else {
            throw DaemonTestError(message: "cannot listen at \(path): errno \(errno)")
        }
        // Fill the queue: non-blocking connects until one is refused with EAGAIN.
        while fillers.count < 64 {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
            var target = Self.address(path)
            let result = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if result != 0 {
                let code = errno
                Glibc.close(fd)
                guard code == EAGAIN else { throw DaemonTestError(message: "filling the queue: errno \(code)") }
                return
            }
            fillers.append(fd)
        }
        throw DaemonTestError(message: "the listen queue did not fill")
    }

    /// Whether a connect now is refused with EAGAIN.
    func refusesWithEAGAIN() -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        defer { Glibc.close(fd) }
        var target = Self.address(path)
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result != 0 && errno == EAGAIN
    }

    /// Closes the listener and the fillers.
    func stop() {
        for fd in fillers { Glibc.close(fd) }
        Glibc.close(listener)
    }

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}

/// A daemon whose listen queue is full (a client flooding it with connections it has not yet
/// accepted): a connect is refused with `EAGAIN`, and `LocalClient` retries it within its window.
@Suite("LocalClient: a listen queue that is full")
struct LocalClientFullQueueTests {
    @Test("A queue that frees within the window: the request gets through")
    func queueFreesWithinTheWindow() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let full = try FullQueueListener(path: folder.file("s"))
        #expect(full.refusesWithEAGAIN())
        let client = LocalClient(socketPath: full.path, timeoutSeconds: 60, connectSeconds: 30)
        let request = Task { try await client.send("GET", "/v1/status") }
        try await Task.sleep(for: .milliseconds(500))
        // The queue frees: here by a new listener on the same path, as a restarted daemon's.
        full.stop()
        unlink(full.path)
        let server = try ScriptedServer(path: full.path, connections: [[.answer(#"{"freed":true}"#)]])
        defer { server.stop() }
        let response = try await request.value
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"freed":true}"#)
    }

    @Test("A queue that stays full: the request fails after the window, saying why")
    func queueStaysFull() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let full = try FullQueueListener(path: folder.file("s"))
        defer { full.stop() }
        #expect(full.refusesWithEAGAIN())
        let client = LocalClient(socketPath: full.path, timeoutSeconds: 30, connectSeconds: 1)
        let error = await #expect(throws: LocalClientError.self) { try await client.send("GET", "/v1/status") }
        #expect(error?.message.contains("Resource temporarily unavailable") == true, "\(error?.message ?? "")")
    }
}
