import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// The outage drill: the central record goes down for "three days" of a busy pharmacy,
/// the daemon is killed and restarted during the outage, the central record comes back
/// through 503s; every record must reach it exactly once, at its latest version.
@Suite("Outage drill: the real daemon and the real central simulator", .serialized)
struct OutageDrillTests {
    /// A daemon configured to upload to `central`, with short back-offs for the drill.
    static func daemon(_ directory: TemporaryDirectory, central: SimulatorProcess) throws -> DaemonProcess {
        let config: [String: Any] = [
            "central": [
                "url": central.fhirBase, "pharmacySystem": "https://pharmacy.example/ids/0042", "pharmacyId": "0042",
                "startJitterSeconds": 0, "backoffInitialSeconds": 0.1, "backoffMaxSeconds": 1, "idlePollSeconds": 0.5,
                "prefetch": ["recentDays": 0],
                // Not about the profile budget (CentralProfileBudgetTests is): a first profile
                // fetch on a loaded machine can take over the default 300 ms, and a fetch cut
                // by the budget is a central failure, so the profile would say unreachable.
                // (A fetch from a stopped central record waits out the budget: keep it short.)
                "profileBudgetMilliseconds": 5_000,
            ],
        ]
        let configPath = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let keyPath = try TestKeys.write(.random(), to: directory.file("master.key"))
        return DaemonProcess(directory: directory, arguments: ["--key-file", keyPath, "--config", configPath])
    }

    /// Records dispenses `prefix-from` ..< `prefix-to` with `workers` concurrent clients;
    /// returns the ids by pharmacyDispenseId.
    static func record(_ daemon: DaemonProcess, prefix: String, _ range: Range<Int>, workers: Int = 8) async throws -> [String: String] {
        let clients = (0..<workers).map { _ in daemon.client() }
        return try await withThrowingTaskGroup(of: [String: String].self) { group in
            for (worker, client) in clients.enumerated() {
                group.addTask {
                    var ids: [String: String] = [:]
                    for n in range where n % workers == worker {
                        let dispenseID = "\(prefix)-\(n)"
                        let response = try await client.send("POST", "/v1/dispenses", body: Samples.json(
                            Samples.dispense(id: dispenseID, nam: String(format: "DRIL%08d", n % 900))))
                        guard response.status == 201, let id = response.json?["id"] as? String else {
                            throw DaemonTestError(message: "recording \(dispenseID) answered \(response.status)")
                        }
                        ids[dispenseID] = id
                    }
                    return ids
                }
            }
            var all: [String: String] = [:]
            for try await ids in group { all.merge(ids) { $1 } }
            return all
        }
    }

    static func status(_ daemon: DaemonProcess) async throws -> [String: Any] {
        let client = daemon.client()
        return try await client.send("GET", "/v1/status").json ?? [:]
    }

    /// Waits until the daemon's queue is empty; returns the seconds it took.
    static func waitForDrain(_ daemon: DaemonProcess, timeout: Double = 180) async throws -> Double {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(timeout) {
            let status = try await status(daemon)
            if status["pendingUploads"] as? Int == 0 {
                let elapsed = ContinuousClock.now - started
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DaemonTestError(message: "the queue did not drain in \(timeout) s: \(try await status(daemon))")
    }

    /// Checks the central side holds exactly one resource per record, at the expected version.
    static func expectExactlyOnce(_ central: SimulatorProcess, records: Int, versions: [String: Int] = [:]) async throws {
        let resources = try await central.resources()
        #expect(resources.count == records, "one resource per record")
        var byDispenseID: [String: Int] = [:]
        for item in resources {
            let resource = item["resource"] as? [String: Any] ?? [:]
            let dispenseID = ((resource["identifier"] as? [[String: Any]])?.first?["value"] as? String) ?? "?"
            let version = (resource["extension"] as? [[String: Any]])?
                .first { ($0["url"] as? String)?.hasSuffix("record-version") == true }?["valueInteger"] as? Int
            byDispenseID[dispenseID] = version
        }
        #expect(byDispenseID.count == records, "distinct pharmacyDispenseIds")
        let wrong = byDispenseID.filter { $0.value != (versions[$0.key] ?? 1) }
        #expect(wrong.isEmpty, "\(wrong.count) resources not at their latest version, e.g. \(Array(wrong.prefix(3)))")
        let stats = try await central.stats()
        #expect(stats["entriesCreated"] as? Int == records, "no resource created twice")
    }

    @Test("4,500 dispenses during a central outage with two restarts (one kill -9) arrive exactly once")
    func threeDayOutage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let central = SimulatorProcess(directory: directory)
        try await central.start()
        let daemon = try Self.daemon(directory, central: central)
        try await daemon.start()

        var ids = try await Self.record(daemon, prefix: "PRE", 0..<100)
        _ = try await Self.waitForDrain(daemon)
        try await central.setMode(#"{"mode":"down"}"#)

        ids.merge(try await Self.record(daemon, prefix: "OUT", 0..<1500)) { $1 }
        try await daemon.kill9()
        try await daemon.start()
        ids.merge(try await Self.record(daemon, prefix: "OUT", 1500..<3000)) { $1 }
        // Correct 50 records during the outage: the central side must end at version 2.
        let client = daemon.client()
        var versions: [String: Int] = [:]
        for n in 0..<50 {
            let dispenseID = "OUT-\(n * 7)"
            var corrected = Samples.dispense(id: dispenseID, nam: String(format: "DRIL%08d", (n * 7) % 900))
            corrected["daysSupply"] = 90
            corrected["reason"] = "days supply"
            let response = try await client.send("POST", "/v1/dispenses/\(ids[dispenseID]!)/corrections", body: Samples.json(corrected))
            #expect(response.status == 201)
            versions[dispenseID] = 2
        }
        #expect(try await daemon.stop() == 0)
        try await daemon.start()
        ids.merge(try await Self.record(daemon, prefix: "OUT", 3000..<4500)) { $1 }
        let during = try await Self.status(daemon)
        #expect(during["pendingUploads"] as? Int == 4550)
        #expect((during["central"] as? [String: Any])?["reachable"] as? Bool == false)

        try await central.setMode(#"{"mode":"503","retryAfterSeconds":1}"#)
        try await Task.sleep(for: .seconds(2))
        #expect(try await Self.status(daemon)["pendingUploads"] as? Int == 4550)
        try await central.setMode(#"{"mode":"up"}"#)
        let drain = try await Self.waitForDrain(daemon)
        print("outage drill: drained 4,550 versions in \(String(format: "%.1f", drain)) s (debug build, includes back-off)")

        let after = try await Self.status(daemon)
        #expect(after["pendingUploads"] as? Int == 0)
        #expect(after["deadLetters"] as? Int == 0)
        #expect(after["records"] as? Int == 4600)
        #expect(ids.count == 4600)
        try await Self.expectExactlyOnce(central, records: 4600, versions: versions)
        let pending = try await daemon.client().send("GET", "/v1/outbox?state=pending&limit=10").json?["entries"] as? [Any]
        #expect(pending?.isEmpty == true)
        // With the central record back, a profile is fresh and holds no duplicates of our own uploads.
        let profile = try await daemon.client().send("GET", "/v1/patients/DRIL00000007/medications").json ?? [:]
        #expect((profile["central"] as? [String: Any])?["reachable"] as? Bool == true)
        let sources = (profile["medications"] as? [[String: Any]] ?? []).map { $0["source"] as? String }
        #expect(!sources.isEmpty && sources.allSatisfy { $0 == "local" })
        #expect(try await daemon.stop() == 0)
        await central.stop()
    }

    @Test("Responses cut after commit, then a flaky central record: still exactly once", arguments: [
        #"{"mode":"drop-after-commit"}"#, #"{"mode":"flaky","failureRate":0.5,"seed":11}"#,
    ])
    func unreliableCentral(mode: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let central = SimulatorProcess(directory: directory)
        try await central.start(mode: "down")
        let daemon = try Self.daemon(directory, central: central)
        try await daemon.start()
        _ = try await Self.record(daemon, prefix: "U", 0..<500)
        try await central.setMode(mode)
        try await Task.sleep(for: .seconds(3))
        if mode.contains("drop-after-commit") {
            #expect((try await central.stats()["droppedResponses"] as? Int ?? 0) > 0)
            try await daemon.kill9()  // and a crash while answers are being lost
            try await daemon.start()
            try await central.setMode(#"{"mode":"up"}"#)
        }
        _ = try await Self.waitForDrain(daemon)
        try await Self.expectExactlyOnce(central, records: 500)
        #expect(try await Self.status(daemon)["deadLetters"] as? Int == 0)
        #expect(try await daemon.stop() == 0)
        await central.stop()
    }
}
