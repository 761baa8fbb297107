import Foundation

/// The small C client in `Benchmarks/perf/uclient.c`, compiled by the bench (`cc -O2`) into
/// its work folder: one keep-alive `AF_UNIX` connection per thread, request bytes built up
/// front, its own CPU per request printed beside the latencies (35–140 µs per request here).
struct UClient {
    let binary: String
    let socket: String

    /// What one timed run measured.
    struct Run: Sendable {
        var requests = 0
        var seconds = 0.0
        var bad = 0
        var minMs = 0.0, p50Ms = 0.0, p90Ms = 0.0, p99Ms = 0.0, maxMs = 0.0
        var clientCPUMicros = 0.0
        var rate: Double { seconds > 0 ? Double(requests) / seconds : 0 }
    }

    /// Compiles the client into `folder`.
    static func build(into folder: String, socket: String) throws -> UClient {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("perf/uclient.c").path
        let binary = folder + "/uclient"
        let built = try Shell.run("/usr/bin/env", ["cc", "-O2", "-o", binary, source, "-lpthread"])
        guard built.code == 0 else { throw BenchError("cc could not build \(source) (install gcc): \(built.output)") }
        return UClient(binary: binary, socket: socket)
    }

    /// Runs `threads` clients for `seconds`; `body` is a file (`%ID%` is made unique per request).
    func run(_ method: String, _ path: String, body: String? = nil, seconds: Double, threads: Int = 1, expect: Int? = nil) throws -> Run {
        let output = try Shell.capture(binary, [socket, method, path, body ?? "-", String(seconds), String(threads)],
                                       environment: expect.map { ["UCLIENT_EXPECT": String($0)] } ?? [:])
        var run = Run()
        for part in output.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = String(pair[1]).replacingOccurrences(of: "ms", with: "").replacingOccurrences(of: "us", with: "")
                .replacingOccurrences(of: "s", with: "")
            switch pair[0] {
            case "requests": run.requests = Int(value) ?? 0
            case "wall": run.seconds = Double(value) ?? 0
            case "bad": run.bad = Int(value) ?? 0
            case "min": run.minMs = Double(value) ?? 0
            case "p50": run.p50Ms = Double(value) ?? 0
            case "p90": run.p90Ms = Double(value) ?? 0
            case "p99": run.p99Ms = Double(value) ?? 0
            case "max": run.maxMs = Double(value) ?? 0
            case "client_cpu_per_req": run.clientCPUMicros = Double(value) ?? 0
            default: break
            }
        }
        guard run.requests > 0 else { throw BenchError("uclient \(method) \(path) measured nothing: \(output)") }
        guard run.bad == 0 else { throw BenchError("uclient \(method) \(path): \(run.bad) answers had another status than expected") }
        return run
    }
}
