import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import PillboxCentralSimulator
import PillboxFHIR
import PillboxModel
import PillboxUpload
import Synchronization

/// Many appliances reconnecting at once after a long outage, against one simulator that is
/// still recovering (503 with Retry-After at first). Reports the peak request rate the
/// central side saw with Pillbox's policy (start jitter, full-jitter back-off, Retry-After)
/// and, as the baseline in the same command, with a naive client that retries every
/// `naiveRetry` seconds and ignores Retry-After.
struct FleetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Peak request rate at the central record when a fleet reconnects.")

    @Option(help: "Simulated appliances.")
    var appliances = 500

    @Option(help: "Start jitter window of the Pillbox policy, seconds (the daemon's default is 30; scaled down here).")
    var jitter = 10.0

    @Option(help: "Seconds the central record answers 503 before it is fully up.")
    var recovering = 5.0

    @Option(help: "Retry-After the recovering central record sends, seconds.")
    var retryAfter = 3

    @Option(help: "Retry interval of the naive baseline client, seconds.")
    var naiveRetry = 0.5

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pillbox-fleet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try SimulatorServer(configuration: SimulatorConfiguration(databasePath: folder + "/central.sqlite", port: 0, adminPort: 0),
                                       logger: logger)
        let serverTask = Task { try? await server.run() }
        defer { serverTask.cancel() }
        let port = try await server.waitUntilRunning().fhirPort
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: appliances)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await compare(server: server, transport: SharedTransport(client: http, base: "http://127.0.0.1:\(port)/fhir"))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    func compare(server: SimulatorServer, transport: SharedTransport) async throws {
        print("fleet: \(appliances) appliances, central answers 503 (Retry-After \(retryAfter) s) for \(recovering) s, then up")
        print(["client", "peak req/s", "requests", "all done (s)", "resources"].map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
        var peaks: [String: Int] = [:]
        for scenario in ["naive", "pillbox"] {
            try await server.reset()
            server.setMode(.unavailable(retryAfterSeconds: retryAfter))
            let recovery = Task {
                try? await Task.sleep(for: .milliseconds(Int64(recovering * 1000)))
                server.setMode(.up)
            }
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for appliance in 0..<appliances {
                    group.addTask {
                        try await runAppliance(appliance, naive: scenario == "naive", transport: transport)
                    }
                }
                try await group.waitForAll()
            }
            recovery.cancel()
            let elapsed = seconds(ContinuousClock.now - started)
            let stats = try await server.stats()
            peaks[scenario] = stats.peakRequestsPerSecond
            print([scenario, String(stats.peakRequestsPerSecond), String(stats.requests), String(format: "%.1f", elapsed),
                   String(stats.resources)].map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
        }
        if let naive = peaks["naive"], let pillbox = peaks["pillbox"], pillbox > 0 {
            print(String(format: "peak ratio naive/pillbox: %.1f", Double(naive) / Double(pillbox)))
        }
    }

    /// One appliance with one batch of 5 records to deliver.
    func runAppliance(_ index: Int, naive: Bool, transport: SharedTransport) async throws {
        let pharmacy = PharmacyIdentity(system: "https://pharmacy.example/ids/\(index)", pharmacyID: "\(index)")
        let client = CentralClient(transport: transport, pharmacy: pharmacy)
        let records = (0..<5).map { n in
            DispenseRecord(id: UUID().uuidString.lowercased(), version: 1, status: .completed,
                           recordedAt: "2026-11-20T15:00:00.000Z", reason: nil, sync: .init(state: .pending),
                           dispense: Dispense(pharmacyDispenseId: "F\(index)-\(n)", patient: .init(nam: "FLET12345678"),
                                              medication: .init(din: "02242903", display: "Metformin")))
        }
        let settings = UploadSettings(centralURL: "http://127.0.0.1/fhir", pharmacy: pharmacy, batchSize: 5,
                                      backoffInitialSeconds: 1, backoffMaxSeconds: 30, startJitterSeconds: jitter)
        var policy = UploadPolicy(settings: settings)
        var action: UploadPolicy.Action = naive ? .send(batchSize: 5) : policy.start()
        while true {
            switch action {
            case .wait(let delay):
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                action = .send(batchSize: 5)
            case .send:
                switch await client.upload(records) {
                case .answered:
                    return
                case .refused(_, let retryAfter, _):
                    action = naive ? .wait(seconds: naiveRetry) : policy.transientFailure(retryAfter: retryAfter)
                case .transportFailed, .unreadable:
                    action = naive ? .wait(seconds: naiveRetry) : policy.transientFailure(retryAfter: nil)
                }
            }
        }
    }
}

/// One HTTP client with a large pool standing in for many appliances' own clients.
struct SharedTransport: CentralTransport {
    let client: HTTPClient
    let base: String

    func send(_ request: CentralRequest) async throws(TransportError) -> CentralResponse {
        var http = HTTPClientRequest(url: request.path.isEmpty ? base : "\(base)/\(request.path)")
        http.method = .init(rawValue: request.method)
        http.headers.add(name: "Content-Type", value: "application/fhir+json")
        if let body = request.body { http.body = .bytes(ByteBuffer(data: body)) }
        do {
            let response = try await client.execute(http, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
            return CentralResponse(status: Int(response.status.code),
                                   retryAfter: response.headers.first(name: "Retry-After").flatMap(Double.init),
                                   body: Data(buffer: body))
        } catch {
            throw TransportError("\(error)")
        }
    }

    func shutdown() async {}
}
