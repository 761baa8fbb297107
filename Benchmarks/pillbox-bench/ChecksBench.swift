import ArgumentParser
import Foundation
import Logging
import PillboxClient
import PillboxCrypto
import PillboxFHIR
import PillboxModel
import PillboxStore
import PillboxTestSupport

/// `POST /v1/checks` latency on a patient with many fills (local, and central from the
/// profile cache) in a large store, through a release `pillboxd` over its real socket.
/// The store is seeded through the Store API once and kept in `--store`; later runs reuse it.
struct ChecksBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checks", abstract: "p50/p99 of POST /v1/checks on a 200-fill patient in a large store (release build).")

    @Option(help: "Folder that keeps the seeded store; a later run reuses it, seeding only the records it lacks.")
    var store: String

    @Option(help: "Dispenses in the store, the measured patient's included.")
    var records = 1_000_000

    @Option(help: "Local fills of the measured patient.")
    var localFills = 150

    @Option(help: "Central fills of the measured patient, in the profile cache.")
    var centralFills = 50

    @Option(help: "Records per seeding transaction (Store.bulkRecordDispenses).")
    var batch = 100

    @Option(help: "Page cache of the seeding connection, MiB.")
    var cacheMebibytes = 512

    @Option(help: "Measured requests (after 200 warm-up requests).")
    var requests = 2_000

    static let patient = "BNCH00000001"

    func run() async throws {
        let folder = URL(fileURLWithPath: store).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        // How many records the folder already holds (`seeded` file); seeding continues from there.
        let countFile = folder + "/seeded"
        let seeded = (try? String(contentsOfFile: countFile, encoding: .utf8)).flatMap { Int($0) } ?? 0
        if seeded < records {
            let seconds = try await seed(folder, from: seeded, countFile: countFile)
            print(String(format: "seeded records %d..<%d in %.1f s (%.0f records/s)", seeded, records, seconds,
                         Double(records - seeded) / seconds) + " into \(folder)")
            try String(records).write(toFile: countFile, atomically: true, encoding: .utf8)
        } else {
            print("reusing the \(seeded) records seeded in \(folder)")
        }
        let daemon = try startDaemon(folder)
        defer { daemon.stop() }
        let client = LocalClient(socketPath: folder + "/s")
        var body = Self.dispense(n: records + 1, nam: Self.patient, daysAgo: 0)
        body.pharmacyDispenseId = "BENCH-PROSPECTIVE"
        let bytes = try JSONEncoder().encode(body)
        let first = try await client.send("POST", "/v1/checks", body: bytes)
        guard first.status == 200 else { throw BenchError("POST /v1/checks answered \(first.status)") }
        let answer = first.json ?? [:]
        let coverage = answer["coverage"] as? [String: Any] ?? [:]
        let findings = answer["findings"] as? [[String: Any]] ?? []
        let compared = findings.map { ($0["dispenses"] as? [Any])?.count ?? 0 }
        print("coverage.central=\(coverage["central"] ?? "?") findings=\(findings.map { $0["type"] as? String ?? "?" }) dispenses per finding=\(compared)")
        for _ in 0..<200 { _ = try await client.send("POST", "/v1/checks", body: bytes) }
        var samples: [Double] = []
        samples.reserveCapacity(requests)
        let clock = ContinuousClock()
        for _ in 0..<requests {
            let started = clock.now
            let response = try await client.send("POST", "/v1/checks", body: bytes)
            let elapsed = clock.now - started
            guard response.status == 200 else { throw BenchError("POST /v1/checks answered \(response.status)") }
            samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        samples.sort()
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
        print(String(format: "POST /v1/checks, %d local + %d cached central fills, %d records: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d requests)",
                     localFills, centralFills, records, percentile(0.5), percentile(0.99), samples.last ?? 0, requests))
    }

    /// Seeds records `from..<records` through the Store API (a fresh store and key when
    /// `from` is 0), `batch` records per transaction, writing the count reached to
    /// `countFile` after each commit; returns the seconds it took.
    func seed(_ folder: String, from: Int, countFile: String? = nil) async throws -> Double {
        let key: SecretKey
        if from == 0 {
            for file in ["pillbox.sqlite", "pillbox.sqlite-wal", "pillbox.sqlite-shm"] {
                try? FileManager.default.removeItem(atPath: folder + "/data/" + file)
            }
            key = SecretKey.random()
            try TestKeys.write(key, to: folder + "/master.key")
        } else {
            key = try Self.masterKey(of: folder)
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try Store.open(path: folder + "/data/pillbox.sqlite", masterKey: key, logger: logger)
        defer { try? store.close() }
        let started = ContinuousClock.now
        // Large transactions through `Store.bulkRecordDispenses`: each record exactly as
        // `POST /v1/dispenses` records it (sealed version, indexes, pending outbox entry, audit
        // entry of a `dispense` caller), one commit per `batch` records. The count file moves
        // after each commit, so an interrupted seeding resumes where it stopped.
        var next = from
        var lastReport = started
        while next < records {
            let end = min(records, next + max(1, batch))
            let dispenses = (next..<end).map { n in
                // The first `localFills` belong to the measured patient; the rest to 50,000 others.
                n < localFills
                    ? Self.dispense(n: n, nam: Self.patient, daysAgo: Double(n) * 2.4 + 1)
                    : Self.dispense(n: n, nam: String(format: "SEED%08d", n % 50_000), daysAgo: Double(n % 365))
            }
            let results = try await store.bulkRecordDispenses(dispenses, now: Date(), cacheMebibytes: cacheMebibytes) { dispense in
                let audit = RequestAudit(uid: 0, pid: 0, role: "dispense", action: "POST /v1/dispenses")
                audit.concerns(patient: dispense.patient.nam)
                return audit
            }
            let created = results.filter { if case .created = $0 { true } else { false } }.count
            if created != results.count {
                FileHandle.standardError.write(Data("  records \(next)..<\(end): \(results.count - created) already recorded\n".utf8))
            }
            next = end
            if let countFile { try String(next).write(toFile: countFile, atomically: true, encoding: .utf8) }
            if Self.seconds(ContinuousClock.now - lastReport) >= 10 || next == records {
                lastReport = ContinuousClock.now
                let seconds = Self.seconds(lastReport - started)
                FileHandle.standardError.write(Data(String(format: "  %d records, %.0f records/s\n", next, Double(next - from) / seconds).utf8))
            }
        }
        let central = (0..<centralFills).map(Self.centralFill)
        try await store.cacheCentralProfile(nam: Self.patient, payload: try JSONEncoder().encode(central), fetchedAt: Date())
        return Self.seconds(ContinuousClock.now - started)
    }

    /// The master key a seeding wrote in `folder` (`master.key`, 64 hex characters).
    static func masterKey(of folder: String) throws -> SecretKey {
        let hex = try String(contentsOfFile: folder + "/master.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Hex.decode(hex) else { throw BenchError("\(folder)/master.key is not 64 hex characters") }
        return try SecretKey(bytes: bytes)
    }

    /// Another pharmacy's fill, one a week back from now.
    static func centralFill(_ n: Int) -> CentralDispense {
        let din = n % 3 == 0 ? "02242903" : String(format: "%08d", 1000 + n % 40)
        let medication = Dispense.Medication(din: din, display: "Product", substanceCode: "A10BA02")
        let handedOver = Timestamps.format(Date().addingTimeInterval(-Double(n) * 7 * 86_400))
        return CentralDispense(resourceID: "elsewhere-\(n)", identifierSystem: "https://pharmacy.example/ids/0099",
                               identifierValue: "F-\(n)", status: "completed", medication: medication,
                               quantity: Dispense.Quantity(value: 30), daysSupply: 30, whenHandedOver: handedOver,
                               prescriptionId: "RX-\(n)", pharmacy: "0099")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A fill of one of 40 products; every third is the measured DIN, all share one substance.
    static func dispense(n: Int, nam: String, daysAgo: Double) -> Dispense {
        Dispense(pharmacyDispenseId: "SEED-\(n)", patient: .init(nam: nam, familyName: "Bench", givenName: "Patient"),
                 medication: .init(din: n % 3 == 0 ? "02242903" : String(format: "%08d", 1000 + n % 40), display: "Product",
                                   substanceCode: "A10BA02"),
                 quantity: .init(value: 30, unit: "tablet"), daysSupply: 30, prescriptionId: "RX-\(n)",
                 whenHandedOver: Timestamps.format(Date().addingTimeInterval(-daysAgo * 86_400)))
    }

    /// Starts the release `pillboxd` next to this binary on the seeded store, with a central
    /// record configured on a closed port (the profile comes from the cache) and no prefetch.
    func startDaemon(_ folder: String) throws -> WatchedChild {
        let config: [String: Any] = [
            "central": ["url": "http://127.0.0.1:9/fhir", "pharmacySystem": "https://pharmacy.example/ids/0042",
                        "pharmacyId": "0042", "startJitterSeconds": 0, "prefetch": ["recentDays": 0]],
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: folder + "/pillbox.json"))
        return try BenchChild.daemon(folder, within: .seconds(600))
    }
}
