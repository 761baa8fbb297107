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

    /// A daemon that opens its socket `after` the request starts is reached. With 0.5 s and a
    /// 30 s window: connecting is retried, not given up at once. With 12 s and a 60 s window:
    /// the window is `connectSeconds`, not the HTTP client's 10 s.
    @Test("A daemon that opens its socket within the window is reached", arguments: [(500, 30), (12_000, 60)])
    func lateDaemonIsReached(afterMilliseconds: Int, connectSeconds: Int64) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("s")
        let client = LocalClient(socketPath: path, timeoutSeconds: 2 * connectSeconds, connectSeconds: connectSeconds)
        let request = Task { try await client.send("GET", "/v1/status") }
        try await Task.sleep(for: .milliseconds(afterMilliseconds))
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
