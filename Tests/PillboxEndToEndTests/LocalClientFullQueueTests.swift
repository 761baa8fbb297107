import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// A listener that never accepts until told, its queue filled by raw connections, so that a
/// further connect is refused with `EAGAIN` (a Unix socket's full listen queue).
final class FullQueueListener: @unchecked Sendable {
    let path: String
    let listener: Int32
    private(set) var fillers: [Int32] = []

    init(path: String) throws {
        self.path = path
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = RawSocket.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 0) == 0 else {
            throw DaemonTestError(message: "cannot listen at \(path): errno \(errno)")
        }
        // Fill the queue: non-blocking connects until one is refused with EAGAIN.
        while fillers.count < 64 {
            let (fd, code) = Self.connectNonBlocking(path)
            guard code == 0 else {
                guard code == EAGAIN else { throw DaemonTestError(message: "filling the queue: errno \(code)") }
                return
            }
            fillers.append(fd)
        }
        throw DaemonTestError(message: "the listen queue did not fill")
    }

    /// Whether a connect now is refused with EAGAIN.
    func refusesWithEAGAIN() -> Bool {
        Self.connectNonBlocking(path).errno == EAGAIN
    }

    /// A non-blocking connect to `path`: the connected descriptor and 0, or -1 and its errno.
    private static func connectNonBlocking(_ path: String) -> (fd: Int32, errno: Int32) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        var target = RawSocket.address(path)
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            return (-1, code)
        }
        return (fd, 0)
    }

    /// Closes the listener and the fillers.
    func stop() {
        for fd in fillers { Glibc.close(fd) }
        Glibc.close(listener)
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
