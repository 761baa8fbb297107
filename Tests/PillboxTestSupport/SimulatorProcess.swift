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
    private var process: Process?
    private var client: HTTPClient { .shared }

    package init(directory: TemporaryDirectory) {
        self.directory = directory
    }

    deinit {
        process?.terminate()
    }

    /// The simulator's process id while it runs.
    package var pid: Int32? { process?.processIdentifier }

    /// The FHIR base URL the daemon should use.
    package var fhirBase: String { "http://127.0.0.1:\(fhirPort)/fhir" }

    /// Starts the simulator and waits for its `READY fhir=… admin=…` line.
    package func start(mode: String = "up") async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.executablePath("pillbox-central-sim"))
        process.arguments = ["--data", directory.file("central.sqlite"), "--port", "0", "--admin-port", "0",
                             "--mode", mode, "--log-level", "warning"]
        let pipe = Pipe()
        process.standardOutput = pipe
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: touch(directory.file("central.log"))))
        process.standardError = log
        try process.run()
        self.process = process
        let handle = pipe.fileHandleForReading
        // Read on a thread of its own, not the task pool's: a blocking read there would stall
        // every in-process server of the test run while the simulator starts.
        let line: String? = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var buffer = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { return continuation.resume(returning: nil) }
                    buffer.append(chunk)
                    if let text = String(data: buffer, encoding: .utf8),
                       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("READY") }) {
                        return continuation.resume(returning: String(line))
                    }
                }
            }
        }
        guard let line else { throw DaemonTestError(message: "pillbox-central-sim did not start") }
        for part in line.split(separator: " ") {
            let pair = part.split(separator: "=")
            if pair.count == 2, pair[0] == "fhir" { fhirPort = Int(pair[1]) ?? 0 }
            if pair.count == 2, pair[0] == "admin" { adminPort = Int(pair[1]) ?? 0 }
        }
    }

    private func touch(_ path: String) -> String {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        return path
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
        process.terminate()
        if await !process.exited(within: .seconds(10)) {
            kill(process.processIdentifier, SIGKILL)
            _ = await process.exited(within: .seconds(10))
        }
        self.process = nil
    }
}
