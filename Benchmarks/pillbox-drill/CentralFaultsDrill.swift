import ArgumentParser
import Foundation
import PillboxClient
import PillboxTestSupport

/// Drill 4: the real daemon uploads to the real simulator process while the simulator's
/// fault mode is switched under it: flaky, 429, 503, slow, drop-after-commit, reject (some
/// entries refused while others pass), and two systemic refusal periods (every entry 422,
/// every bundle 400). Checks: exactly one resource per record at its latest version, dead
/// letters only for the entries refused while others passed, nothing lost, and the
/// systemic periods seen in `/v1/status` with a bounded request rate. See docs/reliability.md.
struct CentralFaultsDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "central-faults",
        abstract: "Central faults mixed during an upload: exactly once, dead letters only for entries refused while others pass.")

    /// One period of the schedule: a fault mode, for a time.
    struct Phase {
        var name: String
        var mode: String
        var seconds: Double
        var systemic = false
    }

    /// Every `badEvery`-th record is `BAD-…`: the `reject` mode refuses those.
    static let badEvery = 100

    func run() async throws {
        let long = DrillReport.long
        let report = DrillReport(name: "central-faults")
        let records = long ? 20_000 : 2_000
        let scale = long ? 4.0 : 1.0
        let phases = [
            Phase(name: "flaky", mode: #"{"mode":"flaky","failureRate":0.5,"seed":4}"#, seconds: 4 * scale),
            Phase(name: "429", mode: #"{"mode":"429","retryAfterSeconds":1}"#, seconds: 3 * scale),
            Phase(name: "503", mode: #"{"mode":"503","retryAfterSeconds":1}"#, seconds: 3 * scale),
            Phase(name: "slow", mode: #"{"mode":"slow","delaySeconds":1.5}"#, seconds: 3 * scale),
            Phase(name: "drop-after-commit", mode: #"{"mode":"drop-after-commit"}"#, seconds: 3 * scale),
            Phase(name: "reject", mode: #"{"mode":"reject","rejectIdentifierPrefix":"BAD-"}"#, seconds: 5 * scale),
            Phase(name: "reject-all", mode: #"{"mode":"reject-all"}"#, seconds: 8 * scale, systemic: true),
            Phase(name: "up", mode: #"{"mode":"up"}"#, seconds: 2 * scale),
            Phase(name: "reject-bundles", mode: #"{"mode":"reject-bundles"}"#, seconds: 8 * scale, systemic: true),
        ]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let central = SimulatorProcess(directory: directory)
        try await central.start()
        let daemon = try Self.daemon(directory, central: central)
        try await daemon.start()
        let started = ContinuousClock.now

        // Record while the faults play, paced so the upload runs through every phase.
        let total = phases.reduce(0) { $0 + $1.seconds }
        async let recorded = Self.record(daemon, records: records, over: total * 0.9)
        var systemicSeen: [String: Bool] = [:]
        for phase in phases {
            try await central.setMode(phase.mode)
            let phaseStart = ContinuousClock.now
            if phase.systemic {
                // The first half lets the uploader recognise the refusal; the second measures the rate.
                try await Task.sleep(for: .seconds(phase.seconds / 2))
                let before = try await Self.int(central.stats(), "requests")
                let deadBefore = try await Self.status(daemon)["deadLetters"] as? Int ?? -1
                let measureStart = ContinuousClock.now
                try await Task.sleep(for: .seconds(phase.seconds / 2))
                let after = try await Self.int(central.stats(), "requests")
                let seconds = Self.seconds(ContinuousClock.now - measureStart)
                let status = try await Self.status(daemon)
                let problem = (status["central"] as? [String: Any])?["problem"] as? String
                systemicSeen[phase.name] = problem == "systemic-refusal"
                report.check("\(phase.name): /v1/status shows the systemic refusal", problem == "systemic-refusal",
                             "central.problem \(problem ?? "absent"), held \((status["central"] as? [String: Any])?["heldEntries"] ?? 0)")
                let rate = Double(after - before) / seconds
                report.check("\(phase.name): at most 2 requests per second once recognised", rate <= 2,
                             String(format: "%.2f/s over the last %.1f s", rate, seconds))
                let deadAfter = status["deadLetters"] as? Int ?? -1
                report.check("\(phase.name): no dead letters while everything is refused", deadAfter == deadBefore,
                             "\(deadBefore) -> \(deadAfter)")
            } else {
                try await Task.sleep(for: .seconds(phase.seconds))
            }
            report.figure("phase \(phase.name)", String(format: "%.1f s", Self.seconds(ContinuousClock.now - phaseStart)))
        }
        let ids = try await recorded
        try await central.setMode(#"{"mode":"up"}"#)
        let back = ContinuousClock.now
        let drained = try await Self.waitForDrain(daemon, timeout: long ? 600 : 90)
        report.check("the queue drains once the central record accepts again", drained,
                     String(format: "%.1f s after the last fault", Self.seconds(ContinuousClock.now - back)))
        try await Self.checkOutcome(report, daemon: daemon, central: central, ids: ids, records: records)
        report.figure("total", String(format: "%.1f s, %d records", Self.seconds(ContinuousClock.now - started), records))
        report.figure("central stats", Self.summary(try await central.stats()))
        _ = try await daemon.stop()
        await central.stop()
        throw ExitCode(report.finish())
    }

    /// The end state: every good record exactly once at the central record, at its latest
    /// version; every dead letter a `BAD-…` record that the central record does not hold.
    static func checkOutcome(_ report: DrillReport, daemon: DaemonProcess, central: SimulatorProcess, ids: [String: String],
                             records: Int) async throws {
        report.check("every record acknowledged", ids.count == records, "\(ids.count) of \(records)")
        let byLocalID = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        let failed = try await daemon.client().send("GET", "/v1/outbox?state=failed&limit=500").json?["entries"] as? [[String: Any]] ?? []
        let deadDispenseIDs = Set(failed.compactMap { ($0["dispenseId"] as? String).flatMap { byLocalID[$0] } })
        let wrongDead = deadDispenseIDs.filter { !$0.hasPrefix("BAD-") }
        report.check("dead letters only for entries refused while others passed (BAD-…)", wrongDead.isEmpty && failed.count == deadDispenseIDs.count,
                     "\(failed.count) dead letters, \(wrongDead.count) not BAD-…")
        var versions: [String: Int] = [:]
        var resourceCount = 0
        for item in try await central.resources() {
            resourceCount += 1
            let resource = item["resource"] as? [String: Any] ?? [:]
            let dispenseID = ((resource["identifier"] as? [[String: Any]])?.first?["value"] as? String) ?? "?"
            versions[dispenseID] = (resource["extension"] as? [[String: Any]])?
                .first { ($0["url"] as? String)?.hasSuffix("record-version") == true }?["valueInteger"] as? Int
        }
        let missing = ids.keys.filter { versions[$0] == nil && !deadDispenseIDs.contains($0) }
        report.check("nothing lost: every record is at the central record or a dead letter", missing.isEmpty,
                     "\(missing.count) missing, e.g. \(missing.prefix(3).sorted())")
        // A dead letter can also be stored centrally: drop-after-commit stored its batch and lost
        // the answer, and the resend met the reject mode. Counted, not a failure.
        let both = deadDispenseIDs.filter { versions[$0] != nil }
        let strangers = versions.keys.filter { ids[$0] == nil }
        let stale = versions.filter { $0.value != expectedVersion($0.key) }
        report.check("exactly one resource per record, at its latest version",
                     resourceCount == versions.count && strangers.isEmpty
                         && resourceCount == ids.count - deadDispenseIDs.count + both.count && stale.isEmpty,
                     "\(resourceCount) resources, \(versions.count) distinct, \(strangers.count) unknown, "
                         + "\(stale.count) at an older version")
        report.figure("dead letters also stored centrally (batch stored, answer dropped, resend refused)", "\(both.count)")
        let stats = try await central.stats()
        report.check("no resource created twice", int(stats, "entriesCreated") == resourceCount,
                     "entriesCreated \(int(stats, "entriesCreated"))")
        let status = try await status(daemon)
        report.check("status: no problem left, nothing held",
                     (status["central"] as? [String: Any])?["problem"] == nil && (status["central"] as? [String: Any])?["heldEntries"] == nil)
        report.figure("dead letters (BAD-… refused during reject)", "\(failed.count)")
    }

    /// Every `correctEvery`-th good record is corrected once (its latest version is 2).
    static let correctEvery = 25

    static func expectedVersion(_ dispenseID: String) -> Int {
        guard let n = Int(dispenseID.split(separator: "-").last ?? ""), !dispenseID.hasPrefix("BAD-") else { return 1 }
        return n % correctEvery == 0 ? 2 : 1
    }

    static func dispenseID(_ n: Int) -> String { n % badEvery == badEvery - 1 ? "BAD-\(n)" : "CF-\(n)" }

    /// Records `records` dispenses over about `seconds` with 8 clients, correcting every
    /// `correctEvery`-th good one; returns the local ids by pharmacyDispenseId.
    static func record(_ daemon: DaemonProcess, records: Int, over seconds: Double) async throws -> [String: String] {
        let workers = 8
        let started = ContinuousClock.now
        return try await withThrowingTaskGroup(of: [String: String].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    let client = daemon.client()
                    var ids: [String: String] = [:]
                    for n in stride(from: worker, to: records, by: workers) {
                        // Pace: record n is due at n/records of the way through.
                        let due = started + .milliseconds(Int64(Double(n) / Double(records) * seconds * 1000))
                        if ContinuousClock.now < due { try await Task.sleep(until: due) }
                        let dispenseID = dispenseID(n)
                        let nam = String(format: "CFLT%08d", n % 700)
                        let response = try await client.send("POST", "/v1/dispenses",
                                                             body: Samples.json(Samples.dispense(id: dispenseID, nam: nam)))
                        guard response.status == 201, let id = response.json?["id"] as? String else {
                            throw DaemonTestError(message: "recording \(dispenseID) answered \(response.status)")
                        }
                        ids[dispenseID] = id
                        if expectedVersion(dispenseID) == 2 {
                            var corrected = Samples.dispense(id: dispenseID, nam: nam)
                            corrected["daysSupply"] = 90
                            corrected["reason"] = "days supply"
                            let fixed = try await client.send("POST", "/v1/dispenses/\(id)/corrections", body: Samples.json(corrected))
                            guard fixed.status == 201 else {
                                throw DaemonTestError(message: "correcting \(dispenseID) answered \(fixed.status)")
                            }
                        }
                    }
                    return ids
                }
            }
            var all: [String: String] = [:]
            for try await ids in group { all.merge(ids) { $1 } }
            return all
        }
    }

    /// A daemon uploading to `central` with the drills' short back-offs.
    static func daemon(_ directory: TemporaryDirectory, central: SimulatorProcess) throws -> DaemonProcess {
        let config: [String: Any] = [
            "central": [
                "url": central.fhirBase, "pharmacySystem": "https://pharmacy.example/ids/0042", "pharmacyId": "0042",
                "startJitterSeconds": 0, "backoffInitialSeconds": 0.1, "backoffMaxSeconds": 1, "idlePollSeconds": 0.5,
                "requestTimeoutSeconds": 5, "systemicRefusalThreshold": 10, "configurationRetrySeconds": 2,
                "prefetch": ["recentDays": 0],
            ],
        ]
        let configPath = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let keyPath = try TestKeys.write(.random(), to: directory.file("master.key"))
        return DaemonProcess(directory: directory, arguments: ["--key-file", keyPath, "--config", configPath])
    }

    static func status(_ daemon: DaemonProcess) async throws -> [String: Any] {
        try await daemon.client().send("GET", "/v1/status").json ?? [:]
    }

    /// True once `pendingUploads` is 0, false after `timeout` seconds.
    static func waitForDrain(_ daemon: DaemonProcess, timeout: Double) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if try await status(daemon)["pendingUploads"] as? Int == 0 { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    static func int(_ object: [String: Any], _ key: String) -> Int { object[key] as? Int ?? -1 }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func summary(_ stats: [String: Any]) -> String {
        ["requests", "batches", "entriesReceived", "entriesCreated", "entriesUpdated", "entriesUnchanged", "entriesRejected",
         "refusedBundles", "faultResponses", "droppedResponses"].map { "\($0)=\(int(stats, $0))" }.joined(separator: " ")
    }
}
