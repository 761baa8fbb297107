import Foundation
import Logging
import PillboxCentralSimulator
import PillboxCrypto
import PillboxFHIR
import PillboxModel
import PillboxStore
import PillboxTestSupport
@testable import PillboxUpload

/// A store, the central record simulator in-process on ephemeral ports, and an uploader
/// wired between them with short back-offs.
final class UploadHarness: Sendable {
    let directory: TemporaryDirectory
    let store: Store
    let central: SimulatorServer
    let centralTask: Task<Void, Never>
    let settings: UploadSettings
    let health: CentralHealth
    let wakeup = Wakeup()
    let client: CentralClient
    let transport: HTTPCentralTransport

    static let pharmacy = PharmacyIdentity(system: "https://pharmacy.example/ids/0042", pharmacyID: "0042")

    init(batchSize: Int = 100, mode: FaultMode = .up, requestTimeout: Double = 5,
         tune: (inout UploadSettings) -> Void = { _ in }) async throws {
        directory = try TemporaryDirectory()
        store = try Store.open(path: directory.file("pillbox.sqlite"), masterKey: .random(), logger: Logger(label: "test"))
        var configuration = SimulatorConfiguration(databasePath: directory.file("central.sqlite"), port: 0, adminPort: 0)
        configuration.initialMode = mode
        central = try SimulatorServer(configuration: configuration, logger: Logger(label: "central"))
        let server = central
        centralTask = Task { try? await server.run() }
        let ports = try await central.waitUntilRunning()
        var settings = UploadSettings(centralURL: "http://127.0.0.1:\(ports.fhirPort)/fhir", pharmacy: Self.pharmacy,
                                      batchSize: batchSize, backoffInitialSeconds: 0.05, backoffMaxSeconds: 0.4,
                                      startJitterSeconds: 0, requestTimeoutSeconds: requestTimeout, profileBudgetMilliseconds: 300,
                                      idlePollSeconds: 0.2)
        tune(&settings)
        self.settings = settings
        health = CentralHealth(configured: true)
        transport = try HTTPCentralTransport(settings: settings)
        client = CentralClient(transport: transport, pharmacy: Self.pharmacy)
    }

    /// Builds a harness, runs `body`, then shuts the HTTP client and the simulator down.
    static func run(batchSize: Int = 100, mode: FaultMode = .up, requestTimeout: Double = 5,
                    tune: (inout UploadSettings) -> Void = { _ in },
                    _ body: (UploadHarness) async throws -> Void) async throws {
        let harness = try await UploadHarness(batchSize: batchSize, mode: mode, requestTimeout: requestTimeout, tune: tune)
        do {
            try await body(harness)
        } catch {
            await harness.finish()
            throw error
        }
        await harness.finish()
    }

    func finish() async {
        await transport.shutdown()
        centralTask.cancel()
        try? store.close()
        directory.remove()
    }

    var uploader: Uploader {
        Uploader(store: store, client: client, health: health, wakeup: wakeup, settings: settings, logger: Logger(label: "upload"))
    }

    /// Runs the uploader (with `saveResults` standing in for the store's, when given) while `body` runs.
    func withUploader<T>(saveResults: (@Sendable ([(seq: Int64, disposition: UploadDisposition)], Date) async throws -> Void)? = nil,
                         _ body: () async throws -> T) async throws -> T {
        let uploader = Uploader(store: store, client: client, health: health, wakeup: wakeup, settings: settings,
                                logger: Logger(label: "upload"), saveResults: saveResults)
        let task = Task { await uploader.loop() }
        defer { task.cancel() }
        return try await body()
    }

    /// A stored-looking version, for sending without a store.
    static func sampleRecord(dispenseID: String) -> DispenseRecord {
        DispenseRecord(id: UUID().uuidString.lowercased(), version: 1, status: .completed, recordedAt: "2026-11-20T15:00:00.000Z",
                       reason: nil, sync: .init(state: .pending),
                       dispense: Dispense(pharmacyDispenseId: dispenseID, patient: .init(nam: "TREM50020312"),
                                          medication: .init(din: "02242903", display: "Metformin 500 mg tablet")))
    }

    /// Records `count` dispenses `prefix-0`, `prefix-1`, … for one patient.
    @discardableResult
    func record(_ count: Int, prefix: String = "RX", nam: String = "TREM50020312") async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            let dispense = Dispense(pharmacyDispenseId: "\(prefix)-\(n)", patient: .init(nam: nam),
                                    medication: .init(din: "02242903", display: "Metformin 500 mg tablet"),
                                    quantity: .init(value: 60, unit: "tablet"), whenHandedOver: "2026-11-20T10:00:00-05:00")
            let result = try await store.recordDispense(dispense, now: Date(),
                audit: RequestAudit(uid: 0, pid: 0, role: "admin", action: "test"))
            guard case .created(let record) = result else { throw DaemonTestError(message: "not created") }
            ids.append(record.id)
        }
        return ids
    }

    /// Waits until `condition` holds, checking every 20 ms, for at most `seconds`.
    func eventually(_ seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    func pending() async throws -> Int { try await store.statistics().pendingCount }

    /// The simulator's resources by id, as JSON objects.
    func centralResources() async throws -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for resource in try await central.resources() {
            result[resource.id] = (try JSONSerialization.jsonObject(with: resource.json)) as? [String: Any]
        }
        return result
    }

    /// The Pillbox record version carried by a central resource.
    static func recordVersion(_ resource: [String: Any]) -> Int? {
        (resource["extension"] as? [[String: Any]])?
            .first { $0["url"] as? String == FHIRMapping.versionExtension }?["valueInteger"] as? Int
    }
}
