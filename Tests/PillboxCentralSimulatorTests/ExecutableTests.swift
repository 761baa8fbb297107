import AsyncHTTPClient
import Foundation
import NIOCore
import PillboxCentralSimulator
import PillboxTestSupport
import Testing

@Suite("The pillbox-central-sim executable")
struct ExecutableTests {
    @Test("Started on port 0 it prints READY with both ports, serves, and stops cleanly on SIGTERM")
    func readyServeStop() async throws {
        let binary = DaemonProcess.executablePath("pillbox-central-sim")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("\(binary) is missing: run `swift build --product pillbox-central-sim` first")
            return
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.file("stdout.txt")
        let process = try WatchedChild(binary, ["--data", directory.file("central.sqlite"), "--port", "0", "--admin-port", "0",
                                                "--mode", "503", "--log-level", "warning"],
                                       output: .append(output), errors: .discard)
        defer { process.abandon() }

        let ports = try await SimulatorProcess.readyLine(in: output, child: process)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let unavailable = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(ports.fhir)/fhir/metadata"), timeout: .seconds(10))
            #expect(unavailable.status.code == 503)
            #expect(unavailable.headers.first(name: "Retry-After") == "5")
            var setMode = HTTPClientRequest(url: "http://127.0.0.1:\(ports.admin)/admin/mode")
            setMode.method = .POST
            setMode.body = .bytes(ByteBuffer(string: #"{"mode":"up"}"#))
            #expect(try await client.execute(setMode, timeout: .seconds(10)).status.code == 200)
            let metadata = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(ports.fhir)/fhir/metadata"), timeout: .seconds(10))
            #expect(metadata.status.code == 200)
            let stats = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(ports.admin)/admin/stats"), timeout: .seconds(10))
            let decoded = try JSONDecoder().decode(SimulatorStats.self, from: Data(try await stats.body.collect(upTo: 1 << 20).readableBytesView))
            #expect(decoded.requests == 2)
            #expect(decoded.faultResponses == 1)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()

        process.send(SIGTERM)
        #expect(await process.exited(within: .seconds(20)) == 0)
    }

    @Test("An unknown --mode exits 78 with the valid modes")
    func unknownMode() async throws {
        let binary = DaemonProcess.executablePath("pillbox-central-sim")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("\(binary) is missing: run `swift build --product pillbox-central-sim` first")
            return
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try await ChildProcess.run(binary, ["--data", directory.file("central.sqlite"), "--mode", "sideways"])
        let message = result.err
        #expect(result.code == 78)
        #expect(message.contains("valid modes: up, down, 503, 429, slow, flaky, drop-after-commit, reject"))
    }

}
