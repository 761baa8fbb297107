import ArgumentParser
import Foundation
import Logging
import PillboxCrypto
import PillboxFHIR
import PillboxModel
import PillboxStore
import PillboxUpload

/// Drains an outage backlog to the simulator on loopback and reports the time and memory.
/// Baseline in the same command: the same resources posted as the same batches straight to
/// the simulator, without the store (what the network and the simulator alone cost).
/// The simulator runs as its own process (`pillbox-central-sim` next to this binary), so the
/// memory figures are the uploader side's alone.
struct DrainBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain", abstract: "Time to drain a backlog to the central simulator; memory with a small and a large backlog.")

    @Option(help: "Backlog sizes to drain, in order.")
    var backlog: [Int] = [4500, 9000]

    @Option(help: "Entries per batch.")
    var batchSize = 100

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        print("drain: backlog to pillbox-central-sim on loopback, batch \(batchSize) (release build expected)")
        print(["backlog", "drain s", "direct s", "ratio", "anon before", "anon after", "peak RSS MiB"].map { $0.padding(toLength: 13, withPad: " ", startingAt: 0) }.joined())
        for size in backlog {
            let result = try await drain(size, logger: logger)
            print([String(size), String(format: "%.2f", result.drain), String(format: "%.2f", result.direct),
                   String(format: "%.2f", result.drain / max(result.direct, 0.001)), String(format: "%.1f", result.anonymousBefore),
                   String(format: "%.1f", result.anonymous),
                   String(format: "%.1f", result.peakRSS)].map { $0.padding(toLength: 13, withPad: " ", startingAt: 0) }.joined())
        }
    }

    func drain(_ size: Int, logger: Logger) async throws
        -> (drain: Double, direct: Double, anonymousBefore: Double, anonymous: Double, peakRSS: Double) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pillbox-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store.open(path: folder + "/pillbox.sqlite", masterKey: .random(), logger: logger)
        defer { try? store.close() }
        let simulator = try await SimulatorProcess(database: folder + "/central.sqlite")
        defer { simulator.stop() }
        let port = simulator.fhirPort

        // The backlog: recorded while the central record was away.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for n in stride(from: worker, to: size, by: 16) {
                        _ = try await store.recordDispense(Self.dispense(n), now: Date(),
                            audit: RequestAudit(uid: 0, pid: 0, role: "admin", action: "bench"))
                    }
                }
            }
            try await group.waitForAll()
        }

        let pharmacy = PharmacyIdentity(system: "https://pharmacy.example/ids/bench", pharmacyID: "bench")
        var settings = UploadSettings(centralURL: "http://127.0.0.1:\(port)/fhir", pharmacy: pharmacy, batchSize: batchSize,
                                      backoffInitialSeconds: 0.1, backoffMaxSeconds: 1, startJitterSeconds: 0, idlePollSeconds: 0.5)
        settings.prefetch.recentDays = 0
        let transport = try HTTPCentralTransport(settings: settings)
        let client = CentralClient(transport: transport, pharmacy: pharmacy)
        let uploader = Uploader(store: store, client: client, health: CentralHealth(configured: true), wakeup: Wakeup(),
                                settings: settings, logger: logger)
        let before = Memory.now()
        let started = ContinuousClock.now
        let task = Task { try await uploader.run() }
        while try await store.statistics().pendingCount > 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let drainSeconds = seconds(ContinuousClock.now - started)
        task.cancel()
        let memory = Memory.now()

        // Baseline: the same versions as the same batches, straight to a fresh simulator.
        try await simulator.reset()
        var records: [DispenseRecord] = []
        for entry in try await store.outboxEntries(state: .sent, limit: size) {
            if let record = try await store.dispense(id: entry.dispenseId) { records.append(record) }
        }
        let directStarted = ContinuousClock.now
        for start in stride(from: 0, to: records.count, by: batchSize) {
            _ = await client.upload(Array(records[start..<min(start + batchSize, records.count)]))
        }
        let directSeconds = seconds(ContinuousClock.now - directStarted)
        await transport.shutdown()
        let resources = try await simulator.resourceCount()
        guard resources == size else {
            throw ValidationError("the simulator holds \(resources) resources, expected \(size)")
        }
        return (drainSeconds, directSeconds, before.anonymous, memory.anonymous, Memory.peakRSS())
    }

    static func dispense(_ n: Int) -> Dispense {
        Dispense(pharmacyDispenseId: "BENCH-\(n)", patient: .init(nam: String(format: "BNCH%08d", n % 2000), familyName: "Bench"),
                 medication: .init(din: "02242903", display: "Metformin 500 mg tablet"), quantity: .init(value: 60, unit: "tablet"),
                 daysSupply: 30, dosageText: "1 tablet twice daily", pharmacist: .init(license: "PH-1"),
                 prescriptionId: "RX-\(n)", whenHandedOver: "2026-11-20T10:00:00-05:00")
    }
}
