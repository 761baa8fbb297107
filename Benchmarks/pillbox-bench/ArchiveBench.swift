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

/// `POST /v1/audit/archive` through a release `pillboxd` on a trail of `entries` entries
/// recorded two days ago: how long it takes, what the file weighs, the daemon's memory, and
/// read and write latency while it runs against the same load without it, in one run
/// (docs/audit-archive.md, "Measured").
struct ArchiveBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Time, file size, memory and p50/p99 of reads and writes during an audit archive (release build).")

    @Option(help: "Folder for the data (emptied first).")
    var folder: String

    @Option(help: "Audit entries in the trail, all recorded two days ago.")
    var entries = 1_000_000

    @Option(help: "Dispenses in the store (what the readers read).")
    var records = 2_000

    @Option(help: "Concurrent reading clients.")
    var readers = 4

    @Option(help: "One write every this many milliseconds.")
    var writeIntervalMilliseconds = 50

    @Option(help: "Seconds of the baseline (no archive).")
    var baselineSeconds = 15

    func run() async throws {
        let folder = URL(fileURLWithPath: self.folder).standardizedFileURL.path
        try? FileManager.default.removeItem(atPath: folder)
        for sub in ["/data", "/archive"] { try FileManager.default.createDirectory(atPath: folder + sub, withIntermediateDirectories: true) }
        let key = SecretKey.random()
        try TestKeys.write(key, to: folder + "/master.key")
        let ids = try await seed(folder, key: key)
        let config: [String: Any] = ["backup": ["folders": [folder + "/archive"]]]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: folder + "/pillbox.json"))
        let daemon = try BenchChild.daemon(folder, within: .seconds(120))
        defer { daemon.stop() }
        let stat = ProcStat(pid: daemon.pid)
        let client = LocalClient(socketPath: folder + "/s")
        let databaseBefore = Self.size(folder + "/data/pillbox.sqlite")
        let baseline = try await KeysBench.measure(client, ids: ids, readers: readers, writeIntervalMilliseconds: writeIntervalMilliseconds) {
            $0 >= Double(baselineSeconds)
        }
        let rssBefore = stat.rss()
        let today = Self.today()
        let finished = StopFlag()
        let archiving = Task {
            defer { finished.set() }
            let began = ContinuousClock.now
            let cpu = stat.cpuSeconds()
            let answer = try await LocalClient(socketPath: folder + "/s", timeoutSeconds: 6 * 3600)
                .call(LocalAPI.archiveAudit(before: today, destination: folder + "/archive", dryRun: false)).value
            return (answer, ChecksBench.seconds(ContinuousClock.now - began), stat.cpuSeconds() - cpu)
        }
        let peak = Peak { stat.rss() }
        let wal = folder + "/data/pillbox.sqlite-wal"
        let walBefore = Self.size(wal)
        let walPeak = Peak { Double(Self.size(wal)) }
        let during = try await KeysBench.measure(client, ids: ids, readers: readers, writeIntervalMilliseconds: writeIntervalMilliseconds) { _ in
            peak.sample()
            walPeak.sample()
            return finished.value
        }
        let (answer, elapsed, cpu) = try await archiving.value
        let bytes = answer.bytes ?? 0
        print(MachineLoad.describe())
        print(String(format: "archive: %d entries in %.1f s (%.0f entries/s), daemon CPU %.1f s; file %@ (%.0f bytes/entry)",
                     answer.entries, elapsed, Double(answer.entries) / elapsed, cpu, Self.mib(bytes), Double(bytes) / Double(max(1, answer.entries))))
        print(String(format: "daemon RSS: %.1f MiB before, at most %.1f MiB during (sampled every 200 ms), %.1f MiB after",
                     rssBefore, peak.value, stat.rss()))
        print("write-ahead log: \(Self.mib(walBefore)) before, at most \(Self.mib(Int64(walPeak.value))) during (sampled every 200 ms), "
              + "\(Self.mib(Self.size(wal))) after")
        print("database file: \(Self.mib(databaseBefore)) before, \(Self.mib(Self.size(folder + "/data/pillbox.sqlite"))) after "
              + "(the freed pages are kept for new rows)")
        for (name, figures) in [("without archive", baseline), ("during archive", during)] {
            print("\(name): reads \(figures.reads.summary), writes \(figures.writes.summary)")
        }
        print(String(format: "read p99 ratio (during / without): %.2f; write p99 ratio: %.2f",
                     during.reads.percentile(0.99) / baseline.reads.percentile(0.99),
                     during.writes.percentile(0.99) / baseline.writes.percentile(0.99)))
    }

    /// The records the readers read, and the trail, in-process.
    func seed(_ folder: String, key: SecretKey) async throws -> [String] {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try Store.open(path: folder + "/data/pillbox.sqlite", masterKey: key, logger: logger)
        defer { try? store.close() }
        let started = ContinuousClock.now
        let old = Date().addingTimeInterval(-2 * 86_400)
        var done = 0
        while done < entries {
            let count = min(10_000, entries - done)
            try await store.appendAudit((0..<count).map { n in
                AuditEvent(at: old.addingTimeInterval(Double(done + n) / 1000), uid: 1001, pid: 4242, role: "dispense",
                           action: "GET /v1/patients/{nam}/medications", outcome: 200, patientNAM: String(format: "SEED%08d", (done + n) % 5_000))
            })
            done += count
        }
        var ids: [String] = []
        for n in 0..<records {
            let dispense = ChecksBench.dispense(n: n, nam: String(format: "SEED%08d", n % 500), daysAgo: Double(n % 365))
            if case .created(let record) = try await store.recordDispense(
                dispense, now: Date(), audit: RequestAudit(uid: 0, pid: 0, role: "admin", action: "bench-seed")) {
                ids.append(record.id)
            }
        }
        print(String(format: "seeded %d audit entries and %d records in %.1f s", entries, ids.count,
                     ChecksBench.seconds(ContinuousClock.now - started)))
        return ids
    }

    static func size(_ path: String) -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func mib(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}

/// The highest value of `read` seen by `sample()` (the daemon's RSS, a file's size).
final class Peak: Sendable {
    private let read: @Sendable () -> Double
    private let peak = Synchronization.Mutex(0.0)
    init(_ read: @escaping @Sendable () -> Double) { self.read = read }
    func sample() { let value = read(); peak.withLock { $0 = max($0, value) } }
    var value: Double { peak.withLock { $0 } }
}
