import ArgumentParser
import Foundation
import Logging
import PillboxClient
import PillboxCrypto
import PillboxModel
import PillboxStore
import PillboxTestSupport
import PillboxWire
import Synchronization

/// Read and write latency through a release `pillboxd` while a data-key rotation runs, against
/// the same load with no rotation, in one run (docs/operations.md, "What a rotation costs").
/// The store is seeded through the Store API, then the daemon serves `readers` clients reading
/// random records and one client recording a dispense every `writeIntervalMilliseconds`.
struct KeysBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "p50/p99 of reads and writes during a data-key rotation vs without (release build).")

    @Option(help: "Folder for the data (emptied first).")
    var folder: String

    @Option(help: "Dispenses in the store before the rotation.")
    var records = 20_000

    @Option(help: "Concurrent reading clients.")
    var readers = 4

    @Option(help: "One write every this many milliseconds.")
    var writeIntervalMilliseconds = 50

    @Option(help: "Seconds of the baseline (no rotation).")
    var baselineSeconds = 20

    @Option(help: "keys.rotationBatchSize for the daemon.")
    var batchSize = 16

    @Option(help: "keys.rotationPauseMilliseconds for the daemon.")
    var pauseMilliseconds = 20

    func run() async throws {
        let folder = URL(fileURLWithPath: self.folder).standardizedFileURL.path
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        let key = SecretKey.random()
        try TestKeys.write(key, to: folder + "/master.key")
        let ids = try await seed(folder, key: key)
        let daemon = try startDaemon(folder)
        defer { daemon.stop() }
        let client = LocalClient(socketPath: folder + "/s")
        let baseline = try await measure(client, ids: ids) { elapsed in elapsed >= Double(baselineSeconds) }
        let started = try await client.call(LocalAPI.rotateKeys).value
        let total = started.rotation?.total ?? 0
        let rotationStart = ContinuousClock.now
        let during = try await measure(client, ids: ids) { _ in
            (try? await client.call(LocalAPI.keys).value.rotation?.state) != "running"
        }
        let rotationSeconds = ChecksBench.seconds(ContinuousClock.now - rotationStart)
        let final = try await client.call(LocalAPI.keys).value
        print(String(format: "rotation: %d payloads re-encrypted in %.1f s (%.0f/s), batch %d, pause %d ms; remaining %d, unreadable %d",
                     total, rotationSeconds, Double(total) / rotationSeconds, batchSize, pauseMilliseconds,
                     final.rotation?.remaining ?? -1, final.rotation?.unreadable ?? -1))
        for (name, figures) in [("without rotation", baseline), ("during rotation", during)] {
            print("\(name): reads \(figures.reads.summary), writes \(figures.writes.summary)")
        }
        print(String(format: "read p99 ratio (during / without): %.2f; write p99 ratio: %.2f",
                     during.reads.percentile(0.99) / baseline.reads.percentile(0.99),
                     during.writes.percentile(0.99) / baseline.writes.percentile(0.99)))
    }

    /// Latencies in milliseconds.
    struct Samples: Sendable {
        var values: [Double] = []
        func percentile(_ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        var summary: String {
            String(format: "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d)", percentile(0.5), percentile(0.99),
                   values.max() ?? 0, values.count)
        }
    }

    func measure(_ client: LocalClient, ids: [String],
                 until done: @escaping @Sendable (Double) async -> Bool) async throws -> (reads: Samples, writes: Samples) {
        try await Self.measure(client, ids: ids, readers: readers, writeIntervalMilliseconds: writeIntervalMilliseconds, until: done)
    }

    /// Runs `readers` clients reading random records of `ids` and one recording a dispense
    /// every `writeInterval` ms, until `done(elapsedSeconds)` says so (checked every 200 ms).
    static func measure(_ client: LocalClient, ids: [String], readers: Int, writeIntervalMilliseconds writeInterval: Int,
                        until done: @escaping @Sendable (Double) async -> Bool) async throws -> (reads: Samples, writes: Samples) {
        let stop = StopFlag()
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: (Samples, Samples).self) { group in
            for reader in 0..<readers {
                group.addTask {
                    var samples = Samples()
                    var n = reader
                    while !stop.value {
                        n = (n &* 1_103_515_245 &+ 12_345) & 0x7FFF_FFFF
                        let began = ContinuousClock.now
                        let response = try await client.send("GET", "/v1/dispenses/\(ids[n % ids.count])")
                        guard response.status == 200 else { throw BenchError("GET answered \(response.status)") }
                        samples.values.append(ChecksBench.seconds(ContinuousClock.now - began) * 1000)
                    }
                    return (samples, Samples())
                }
            }
            group.addTask {
                var samples = Samples()
                while !stop.value {
                    let body = ChecksBench.dispense(n: Int.random(in: 0..<Int.max), nam: "BNCH00000002", daysAgo: 1)
                    let began = ContinuousClock.now
                    let response = try await client.send("POST", "/v1/dispenses", body: try JSONEncoder().encode(body))
                    guard response.status == 201 else { throw BenchError("POST answered \(response.status)") }
                    samples.values.append(ChecksBench.seconds(ContinuousClock.now - began) * 1000)
                    try await Task.sleep(for: .milliseconds(writeInterval))
                }
                return (Samples(), samples)
            }
            group.addTask {
                while !(await done(ChecksBench.seconds(ContinuousClock.now - start))) { try await Task.sleep(for: .milliseconds(200)) }
                stop.set()
                return (Samples(), Samples())
            }
            var reads = Samples()
            var writes = Samples()
            for try await (r, w) in group {
                reads.values += r.values
                writes.values += w.values
            }
            return (reads, writes)
        }
    }

    /// Seeds the store in-process; returns the record ids.
    func seed(_ folder: String, key: SecretKey) async throws -> [String] {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try Store.open(path: folder + "/data/pillbox.sqlite", masterKey: key, logger: logger)
        defer { try? store.close() }
        let started = ContinuousClock.now
        let records = self.records
        let workers = 32
        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var ids: [String] = []
                    for n in stride(from: worker, to: records, by: workers) {
                        let dispense = ChecksBench.dispense(n: n, nam: String(format: "SEED%08d", n % 5_000), daysAgo: Double(n % 365))
                        if case .created(let record) = try await store.recordDispense(
                            dispense, now: Date(), audit: RequestAudit(uid: 0, pid: 0, role: "admin", action: "bench-seed")) {
                            ids.append(record.id)
                        }
                    }
                    return ids
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        print(String(format: "seeded %d records in %.1f s", ids.count, ChecksBench.seconds(ContinuousClock.now - started)))
        return ids
    }

    /// Starts the release `pillboxd` next to this binary, local-only, with the rotation's pacing.
    func startDaemon(_ folder: String) throws -> WatchedChild {
        let config: [String: Any] = ["keys": ["rotationBatchSize": batchSize, "rotationPauseMilliseconds": pauseMilliseconds]]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: folder + "/pillbox.json"))
        return try BenchChild.daemon(folder, within: .seconds(120))
    }
}

/// A flag set once, read by many tasks.
final class StopFlag: Sendable {
    private let state = Synchronization.Mutex(false)
    var value: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
