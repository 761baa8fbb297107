import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// A real `pillbox-central-sim` process on ephemeral loopback ports, steered through its admin
/// listener, for end-to-end tests and drills.
package final class SimulatorProcess: @unchecked Sendable {
    package let directory: TemporaryDirectory
    package private(set) var fhirPort = 0
    package private(set) var adminPort = 0
    private var process: WatchedChild?
    private var client: HTTPClient { .shared }

    package init(directory: TemporaryDirectory) {
        self.directory = directory
    }

    deinit {
        process?.abandon()
    }

    /// The simulator's process id while it runs.
    package var pid: Int32? { process?.pid }

    /// The FHIR base URL the daemon should use.
    package var fhirBase: String { "http://127.0.0.1:\(fhirPort)/fhir" }

    /// Starts the simulator and waits for its `READY fhir=… admin=…` line (stdout, in
    /// `central.out`; its log in `central.log`).
    package func start(mode: String = "up") async throws {
        // A restart's READY line is its own: the file starts empty each time.
        let out = directory.file("central.out")
        try? FileManager.default.removeItem(atPath: out)
        let process = try WatchedChild(DaemonProcess.executablePath("pillbox-central-sim"),
                                       ["--data", directory.file("central.sqlite"), "--port", "0", "--admin-port", "0",
                                        "--mode", mode, "--log-level", "warning"],
                                       output: .append(out), errors: .append(directory.file("central.log")))
        self.process = process
        (fhirPort, adminPort) = try await Self.readyLine(in: out, child: process)
    }

    /// Waits up to 30 s for `READY fhir=P admin=A` in the file at `path`, written by `child`.
    package static func readyLine(in path: String, child: WatchedChild) async throws -> (fhir: Int, admin: Int) {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }) {
                let fields = Dictionary(line.split(separator: " ").dropFirst().compactMap { field in
                    let parts = field.split(separator: "=")
                    return parts.count == 2 ? (String(parts[0]), Int(parts[1]) ?? 0) : nil
                }, uniquingKeysWith: { $1 })
                if let fhir = fields["fhir"], let admin = fields["admin"], fhir > 0, admin > 0 { return (fhir, admin) }
                throw DaemonTestError(message: "malformed READY line: \(line)")
            }
            if let code = child.exitCode() {
                throw DaemonTestError(message: "pillbox-central-sim exited with \(code) before READY")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DaemonTestError(message: "pillbox-central-sim printed no READY line in 30 s")
    }

    /// Sets the fault mode, e.g. `{"mode":"503","retryAfterSeconds":1}`.
    package func setMode(_ json: String) async throws {
        let status = try await admin("POST", "mode", body: json).status
        guard status == 200 else { throw DaemonTestError(message: "setting mode \(json) answered \(status)") }
    }

    /// `GET /admin/stats` as a JSON object.
    package func stats() async throws -> [String: Any] {
        let reply = try await admin("GET", "stats")
        return (try JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:]
    }

    /// `GET /admin/resources`: every stored resource with its id and versionId.
    package func resources() async throws -> [[String: Any]] {
        let reply = try await admin("GET", "resources")
        return (try JSONSerialization.jsonObject(with: reply.body)) as? [[String: Any]] ?? []
    }

    private func admin(_ method: String, _ path: String, body: String? = nil) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(adminPort)/admin/\(path)")
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 256 * 1024 * 1024)
        return (Int(response.status.code), Data(buffer: buffer))
    }

    /// Stops the simulator: SIGTERM, and SIGKILL if it is still running 10 s later (a graceful
    /// shutdown that waits on a request it holds must not hang the test run). Waits without
    /// blocking a thread of the task pool.
    package func stop() async {
        guard let process else { return }
        process.send(SIGTERM)
        if await process.exited(within: .seconds(10)) == nil {
            process.send(SIGKILL)
            _ = await process.exited(within: .seconds(10))
        }
        self.process = nil
    }
}
