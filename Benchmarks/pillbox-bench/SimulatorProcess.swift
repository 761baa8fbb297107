import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import PillboxTestSupport

/// `pillbox-central-sim` as a separate process on ephemeral ports, steered through its admin listener.
final class SimulatorProcess {
    let child: WatchedChild
    private(set) var fhirPort = 0
    private(set) var adminPort = 0

    /// Starts it on `database`; its READY line (stdout) is read from `database` + ".out".
    init(database: String) async throws {
        let out = database + ".out"
        try? FileManager.default.removeItem(atPath: out)
        child = try WatchedChild(BenchChild.sibling("pillbox-central-sim"),
                                 ["--data", database, "--port", "0", "--admin-port", "0", "--log-level", "error"],
                                 output: .append(out), errors: .discard)
        do {
            (fhirPort, adminPort) = try await PillboxTestSupport.SimulatorProcess.readyLine(in: out, child: child)
        } catch {
            child.stop()
            throw BenchError("pillbox-central-sim did not start (build it: swift build -c release): \(error)")
        }
    }

    func stop() { child.stop() }

    /// `POST /admin/reset`.
    func reset() async throws { _ = try await admin("POST", "reset") }

    /// Resources stored, from `GET /admin/stats`.
    func resourceCount() async throws -> Int {
        let stats = try JSONSerialization.jsonObject(with: try await admin("GET", "stats")) as? [String: Any]
        return stats?["resources"] as? Int ?? -1
    }

    private func admin(_ method: String, _ path: String) async throws -> Data {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(adminPort)/admin/\(path)")
        request.method = .init(rawValue: method)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return Data(buffer: try await response.body.collect(upTo: 16 * 1024 * 1024))
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
