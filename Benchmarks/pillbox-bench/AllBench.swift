import ArgumentParser
import Foundation
import GRDB
import PillboxClient
import PillboxModel

/// Every issue-9 figure in one table, from a release `pillboxd` driven over its real socket by
/// the small C client (`Benchmarks/perf/uclient.c`), with plain SQLite measured in the same run.
struct AllBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Profile, single read, health, intake vs plain SQLite, CPU per request, RSS, start time, bytes per record (release build).")

    @Option(help: "Folder that keeps the seeded store between runs (seeded as `checks` does); default: a temporary folder, removed after.")
    var store: String?

    @Option(help: "Dispenses seeded in the store (150 local fills of the measured patient among them; 50 more central fills cached).")
    var records = 10_000

    @Option(help: "Records per seeding transaction (Store.bulkRecordDispenses).")
    var seedBatch = 100

    @Option(help: "Seconds per measured path (after a 1 s warm-up).")
    var seconds = 8.0

    @Option(help: "Concurrent clients of the intake run.")
    var writers = 16

    @Option(help: "Daemon starts timed to READY=1 (the last one is measured).")
    var starts = 3

    @Flag(help: "Print the rows as JSON instead of the table.")
    var json = false

    static let patient = ChecksBench.patient

    func run() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pillbox-bench-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let folder = store.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? work + "/store"
        try await seedIfNeeded(folder)
        let central = try FailFastCentral()
        defer { central.stop() }
        note("machine: \(MachineLoad.describe())")

        var rows: [BenchRow] = []
        // Start to READY=1, a few times on the same store; the last daemon stays up.
        var readyTimes: [Double] = []
        var daemon: BenchDaemon!
        for index in 0..<max(1, starts) {
            let started = try BenchDaemon(folder: folder, work: work, centralPort: central.port)
            readyTimes.append(started.readyMilliseconds)
            if index < max(1, starts) - 1 { started.stop() } else { daemon = started }
        }
        defer { daemon.stop() }
        let counts = try StoreCounts.read(folder + "/data/pillbox.sqlite")
        note("store: \(counts.dispenses) dispenses, \(counts.versions) versions in \(folder)")
        readyTimes.sort()
        rows.append(BenchRow(name: "start to READY=1 (\(counts.dispenses) records)", count: readyTimes.count,
                             minMs: readyTimes.first, p50Ms: readyTimes[readyTimes.count / 2], p99Ms: readyTimes.last,
                             target: "< 300 ms at 1M", met: counts.dispenses >= 1_000_000 ? (readyTimes.last ?? 0) < 300 : nil))
        let idleCPU0 = daemon.stat.cpuSeconds()
        try await Task.sleep(for: .seconds(2))
        let idleCPU = (daemon.stat.cpuSeconds() - idleCPU0) / 2 * 1000
        let idle = daemon.stat.memory()
        // Background work (uploader retries against the failing central, audit flushes) is in
        // every CPU-per-request figure; this is its size.
        rows.append(BenchRow(name: "daemon CPU while idle (background work)", value: idleCPU, unit: "ms/s"))
        rows.append(BenchRow(name: "RSS idle after start (\(Self.split(daemon.stat)))", value: idle.rss, unit: "MiB",
                             target: "≤ 40 MiB", met: idle.rss <= 40))

        let client = try UClient.build(into: work, socket: daemon.socket)
        let local = LocalClient(socketPath: daemon.socket)
        let profilePath = "/v1/patients/\(Self.patient)/medications"
        let profile = try await local.send("GET", profilePath)
        let medications = profile.json?["medications"] as? [[String: Any]] ?? []
        guard profile.status == 200, let readID = medications.first(where: { $0["source"] as? String == "local" })?["id"] as? String else {
            throw BenchError("GET \(profilePath) answered \(profile.status) without a local fill")
        }
        note("profile: \(medications.count) entries, \(profile.body.count) bytes")

        func measure(_ name: String, _ method: String, _ path: String, body: String? = nil, threads: Int = 1,
                     expect: Int? = nil) throws -> (BenchRow, UClient.Run) {
            _ = try client.run(method, path, body: body, seconds: 1, threads: threads, expect: expect)
            let cpu0 = daemon.stat.cpuSeconds()
            let run = try client.run(method, path, body: body, seconds: seconds, threads: threads, expect: expect)
            let cpu = (daemon.stat.cpuSeconds() - cpu0) / Double(run.requests) * 1e6
            note("\(name): \(run.requests) in \(String(format: "%.1f", run.seconds)) s, p50 \(run.p50Ms) ms, daemon \(Int(cpu)) µs/request (\(MachineLoad.describe()))")
            return (BenchRow(name: name, count: run.requests, perSecond: run.rate, minMs: run.minMs, p50Ms: run.p50Ms, p99Ms: run.p99Ms,
                             daemonCPUMicros: cpu, clientCPUMicros: run.clientCPUMicros), run)
        }

        var (profileRow, profileRun) = try measure("profile, \(medications.count) entries", "GET", profilePath)
        profileRow.target = "p99 < 3 ms, CPU < 1500 µs (1M)"
        profileRow.met = profileRun.p99Ms < 3 && (profileRow.daemonCPUMicros ?? .infinity) < 1500
        // The cheapest route this server has: an unknown path (404) through the whole stack
        // (connection, access middleware, audit), no store read.
        let (cheapRow, cheapRun) = try measure("cheapest: unknown route (404)", "GET", "/v1/none", expect: 404)
        var (readRow, readRun) = try measure("single read GET /v1/dispenses/{id}", "GET", "/v1/dispenses/\(readID)")
        readRow.baseline = "cheapest p50"
        readRow.ratio = readRun.p50Ms / cheapRun.p50Ms
        readRow.target = "p99 < 0.3 ms, p50 ≤ 1.5× cheapest, CPU < 100 µs"
        readRow.met = readRun.p99Ms < 0.3 && (readRow.ratio ?? .infinity) <= 1.5 && (readRow.daemonCPUMicros ?? .infinity) < 100
        var (healthRow, healthRun) = try measure("health GET /v1/health", "GET", "/v1/health")
        healthRow.baseline = "single read p50"
        healthRow.ratio = healthRun.p50Ms / readRun.p50Ms
        healthRow.target = "no durable write per call (strace)"
        // What a monitor polls: the store-wide counts, kept in store_summary (the store's size
        // since v6, the upload backlog since v7: this store's seeded versions are all pending).
        let pending = (try await local.send("GET", "/v1/status").json?["pendingUploads"] as? Int).map(String.init) ?? "?"
        let (statusRow, _) = try measure("status GET /v1/status (\(pending) pending uploads)", "GET", "/v1/status")
        rows += [profileRow, readRow, healthRow, statusRow, cheapRow]
        // Issue 10: the checks of a prospective fill of the measured patient (nothing recorded).
        let checksFile = try checksBody(work)
        var (checksRow, checksRun) = try measure("checks POST /v1/checks, \(medications.count) fills compared", "POST", "/v1/checks",
                                                 body: checksFile, expect: 200)
        checksRow.target = "p99 < 3 ms (1M, issue 10)"
        checksRow.met = counts.dispenses >= 1_000_000 ? checksRun.p99Ms < 3 : nil
        rows.append(checksRow)

        // Intake: distinct dispenses for new patients of this run, then plain SQLite on the same disk.
        let bodyFile = try intakeBody(work)
        let sampler = RSSSampler(stat: daemon.stat)
        sampler.start()
        var (intakeRow, intakeRun) = try measure("intake POST /v1/dispenses, \(writers) clients", "POST", "/v1/dispenses",
                                                 body: bodyFile, threads: writers)
        let peak = sampler.stop()
        let after = try StoreCounts.read(folder + "/data/pillbox.sqlite")
        let baseline = try SQLiteBaseline.run(path: folder + "/baseline.sqlite", payloadBytes: Int(after.averagePayload) + 32,
                                              duration: seconds)
        note("plain SQLite: \(baseline.rows) rows, \(Int(baseline.rate))/s, \(Int(baseline.cpuMicrosPerRow)) µs CPU/row")
        intakeRow.baseline = "plain SQLite"
        intakeRow.ratio = intakeRun.rate / baseline.rate
        intakeRow.target = "≥ 1.0× SQLite, CPU < 150 µs/record"
        intakeRow.met = (intakeRow.ratio ?? 0) >= 1 && (intakeRow.daemonCPUMicros ?? .infinity) < 150
        rows.append(intakeRow)
        rows.append(BenchRow(name: "plain SQLite, 1 row per transaction (WAL, synchronous=FULL, \(Int(after.averagePayload) + 32) B)",
                             count: baseline.rows, perSecond: baseline.rate, clientCPUMicros: baseline.cpuMicrosPerRow))
        rows.append(BenchRow(name: "RSS peak under intake", value: peak, unit: "MiB", target: "≤ 96 MiB", met: peak <= 96))
        try await Task.sleep(for: .seconds(3))
        let idleAfter = daemon.stat.memory()
        rows.append(BenchRow(name: "RSS idle after the runs (\(Self.split(daemon.stat)))",
                             value: idleAfter.rss, unit: "MiB", target: "≤ 40 MiB", met: idleAfter.rss <= 40))

        // Bytes on disk per record (everything in the data folder: records, audit, outbox, indexes).
        let diskBytes = try FileManager.default.contentsOfDirectory(atPath: folder + "/data").reduce(0) { sum, file in
            sum + ((try? FileManager.default.attributesOfItem(atPath: folder + "/data/" + file)[.size] as? Int) ?? 0)
        }
        let perRecord = Double(diskBytes) / Double(max(1, after.versions))
        let plain = try Self.plainJSONBytes()
        rows.append(BenchRow(name: "bytes on disk per record (data folder / \(after.versions) versions)", value: perRecord, unit: "B",
                             baseline: "plain JSON (\(Int(plain)) B)", ratio: perRecord / plain))

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Swift.print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            BenchTable.print(rows)
        }
    }

    func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Seeds `folder` as `pillbox-bench checks` does, continuing from what it already holds.
    func seedIfNeeded(_ folder: String) async throws {
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        let countFile = folder + "/seeded"
        let seeded = (try? String(contentsOfFile: countFile, encoding: .utf8)).flatMap { Int($0) } ?? 0
        guard seeded < records else {
            note("reusing the \(seeded) records seeded in \(folder)")
            return
        }
        let seeder = try ChecksBench.parse(["--store", folder, "--records", String(records), "--batch", String(seedBatch)])
        let took = try await seeder.seed(folder, from: seeded, countFile: countFile)
        note(String(format: "seeded records %d..<%d in %.1f s (%.0f records/s)", seeded, records, took, Double(records - seeded) / took))
        try String(records).write(toFile: countFile, atomically: true, encoding: .utf8)
    }

    /// The body of `pillbox-bench checks`' prospective fill of the measured patient.
    func checksBody(_ work: String) throws -> String {
        var dispense = ChecksBench.dispense(n: records + 1, nam: Self.patient, daysAgo: 0)
        dispense.pharmacyDispenseId = "BENCH-PROSPECTIVE"
        let path = work + "/checks.json"
        try JSONEncoder().encode(dispense).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The RSS split as a row's words: anonymous, file-backed, shared (MiB).
    static func split(_ stat: ProcStat) -> String {
        let split = stat.memorySplit()
        return String(format: "anonymous %.1f, file %.1f, shmem %.1f MiB", split.anonymous, split.file, split.shmem)
    }

    /// A dispense body whose id and patient are unique per request (`%ID%`, `%N8%`: uclient.c),
    /// for patients of this run only.
    func intakeBody(_ work: String) throws -> String {
        let letters = (0..<4).map { _ in String(UnicodeScalar(UInt8.random(in: 65...90))) }.joined()
        var dispense = ChecksBench.dispense(n: 7, nam: "ZZZZ99999999", daysAgo: 0)
        dispense.pharmacyDispenseId = "IDIDID"
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(dispense), as: UTF8.self)
            .replacingOccurrences(of: "IDIDID", with: "B-\(letters)-%ID%")
            .replacingOccurrences(of: "ZZZZ99999999", with: letters + "%N8%")
        let path = work + "/intake.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The mean size of a seeded dispense as plain JSON (what a plain-JSON store would keep).
    static func plainJSONBytes() throws -> Double {
        let encoder = JSONEncoder()
        var total = 0
        for n in 0..<1_000 { total += try encoder.encode(ChecksBench.dispense(n: n + 1_000, nam: "SEED00000001", daysAgo: 1)).count }
        return Double(total) / 1_000
    }
}

/// Counts in the store, read directly (what needs no key).
struct StoreCounts {
    var dispenses: Int
    var versions: Int
    var averagePayload: Double

    static func read(_ path: String) throws -> StoreCounts {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            StoreCounts(dispenses: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense") ?? 0,
                        versions: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense_version") ?? 0,
                        averagePayload: try Double.fetchOne(db, sql: "SELECT AVG(LENGTH(payload)) FROM dispense_version") ?? 0)
        }
    }
}

/// Polls the daemon's RSS every 50 ms on its own thread; `stop()` returns the peak in MiB.
final class RSSSampler: @unchecked Sendable {
    let stat: ProcStat
    private let lock = NSLock()
    private var peak = 0.0
    private var running = true

    init(stat: ProcStat) { self.stat = stat }

    func start() {
        Thread {
            while self.lock.withLock({ self.running }) {
                let rss = self.stat.rss()
                self.lock.withLock { self.peak = max(self.peak, rss) }
                usleep(50_000)
            }
        }.start()
    }

    func stop() -> Double {
        lock.withLock {
            running = false
            return peak
        }
    }
}
