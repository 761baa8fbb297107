import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// `pillbox-central-sim` as a separate process on ephemeral ports, steered through its admin listener.
final class SimulatorProcess {
    let process = Process()
    private(set) var fhirPort = 0
    private(set) var adminPort = 0

    init(database: String) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pillbox-central-sim")
        process.executableURL = binary
        process.arguments = ["--data", database, "--port", "0", "--admin-port", "0", "--log-level", "error"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        while !String(decoding: buffer, as: UTF8.self).contains("\n") {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchError("pillbox-central-sim did not start (build it: swift build -c release)") }
            buffer.append(chunk)
        }
        for part in String(decoding: buffer, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let pair = part.split(separator: "=")
            if pair.count == 2, pair[0] == "fhir" { fhirPort = Int(pair[1]) ?? 0 }
            if pair.count == 2, pair[0] == "admin" { adminPort = Int(pair[1]) ?? 0 }
        }
        guard fhirPort > 0, adminPort > 0 else { throw BenchError("unexpected READY line") }
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

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
