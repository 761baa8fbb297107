import Foundation

/// `pillbox-central` as a separate process on ephemeral ports, steered with `curl`-free
/// blocking admin calls (URLSession is not needed: the admin API is tiny).
final class SimulatorProcess {
    let process = Process()
    private(set) var fhirPort = 0
    private(set) var adminPort = 0

    init(database: String) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pillbox-central")
        process.executableURL = binary
        process.arguments = ["--data", database, "--port", "0", "--admin-port", "0", "--log-level", "error"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        while !String(decoding: buffer, as: UTF8.self).contains("\n") {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchError("pillbox-central did not start (build it: swift build -c release)") }
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
    func reset() throws { _ = try admin("POST", "reset") }

    /// Resources stored, from `GET /admin/stats`.
    func resourceCount() throws -> Int {
        let stats = try JSONSerialization.jsonObject(with: try admin("GET", "stats")) as? [String: Any]
        return stats?["resources"] as? Int ?? -1
    }

    /// A minimal blocking HTTP/1.1 exchange over a TCP socket to the loopback admin port.
    private func admin(_ method: String, _ path: String) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(adminPort).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BenchError("cannot reach the simulator's admin port") }
        let request = "\(method) /admin/\(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else { throw BenchError("bad admin answer") }
        return response[split.upperBound...]
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
