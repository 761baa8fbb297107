import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// How long the `pillbox` tool keeps trying to connect when pillboxd's socket is missing or
/// refuses: `connectSeconds` (2 by default), not the HTTP client's 10 s default. A technician
/// whose daemon is down hears it at once; a daemon that opens its socket within the window
/// (a restart) is still reached.
@Suite("LocalClient: connecting to a daemon that is down or restarting", .serialized)
struct LocalClientConnectTests {
    @Test("No socket: the request fails after connectSeconds, naming the socket and the reason")
    func missingSocketFailsAfterTheWindow() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let client = LocalClient(socketPath: folder.file("s"), timeoutSeconds: 30, connectSeconds: 1)
        let started = ContinuousClock.now
        let error = await #expect(throws: LocalClientError.self) { try await client.send("GET", "/v1/status") }
        let waited = ContinuousClock.now - started
        #expect(error?.message.contains("cannot reach pillboxd at \(folder.file("s"))") == true)
        #expect(error?.message.contains("No such file or directory") == true, "\(error?.message ?? "")")
        // The window is 1 s; the request's own 30 s and the HTTP client's 10 s default are not waited for.
        #expect(waited >= .milliseconds(900) && waited < .seconds(6), "\(waited)")
    }

    @Test("A daemon that opens its socket within the window is reached: connecting is retried, not given up at once")
    func daemonOpeningWithinTheWindowIsReached() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("s")
        let client = LocalClient(socketPath: path, timeoutSeconds: 30, connectSeconds: 10)
        let request = Task { try await client.send("GET", "/v1/status") }
        try await Task.sleep(for: .milliseconds(500))
        let server = try ScriptedServer(path: path, connections: [[.answer(#"{"up":true}"#)]])
        defer { server.stop() }
        let response = try await request.value
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"up":true}"#)
        #expect(server.requests == ["GET /v1/status"])
    }

    @Test("pillbox status with no daemon says DOWN (exit 2) within the default 2 s window; --connect-seconds 0 is refused")
    func statusWithNoDaemon() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let started = ContinuousClock.now
        let result = try await runPillbox(["status", "--socket", folder.file("s")])
        let waited = ContinuousClock.now - started
        #expect(result.code == 2)
        #expect(result.out.hasPrefix("State:  DOWN"), "\(result.out)")
        // Before the window, a technician waited the HTTP client's 10 s.
        #expect(waited < .seconds(8), "\(waited)")

        let refused = try await runPillbox(["status", "--socket", folder.file("s"), "--connect-seconds", "0"])
        #expect(refused.code == 64)
        #expect(refused.err.contains("--connect-seconds must be at least 1"), "\(refused.err)")
    }
}
