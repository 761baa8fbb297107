import ArgumentParser
import Foundation
import PillboxTestSupport

/// Drill 3: the data folder's disk fills up under writers, then space comes back.
///
/// The data folder is a small tmpfs (root: `mount -t tmpfs -o size=8m`), filled by writers and
/// a filler file. Checks: writes answer 503 `disk-full` naming ENOSPC, reads keep working, the
/// watchdog keeps pinging (the daemon runs with `NOTIFY_SOCKET`/`WATCHDOG_USEC` pointing at a
/// datagram socket the drill reads), `/v1/health` is 503 naming ENOSPC, `/v1/status` says
/// `disk-full`; once the filler is deleted, writes resume by themselves (no restart), and
/// after a restart every acknowledged write is there. Long form: more cycles, more writers.
struct DiskFullDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disk-full",
        abstract: "Fill the data folder's disk (a tmpfs, root) under writers, then free it (docs/reliability.md).")

    func run() async throws {
        let report = DrillReport(name: "disk-full")
        let long = DrillReport.long
        let cycles = long ? 5 : 1
        let workers = long ? 16 : 4
        guard getuid() == 0 else {
            report.check("runs as root (needed to mount a tmpfs)", false, "uid \(getuid())")
            throw ExitCode(report.finish())
        }
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        let mount = StorageDrillSupport.run("mount", ["-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", data])
        guard mount.status == 0 else {
            report.check("mounts an 8 MB tmpfs on the data folder", false, mount.output)
            directory.remove()
            throw ExitCode(report.finish())
        }
        defer {
            StorageDrillSupport.run("umount", [data])
            directory.remove()
        }
        let listener = try NotifyListener(path: directory.file("notify"))
        // Watchdog every 1 s (WATCHDOG_USEC 2 s); a probe at most every second.
        let daemon = DaemonProcess(
            directory: directory,
            arguments: try StorageDrillSupport.arguments(directory, config: ["healthProbeSeconds": 1]),
            environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "2000000"])
        try await daemon.start()
        let pid = daemon.pid
        let started = ContinuousClock.now

        var acknowledged = try await baseline(daemon, report: report)
        let sample = acknowledged.first!
        for cycle in 1...cycles {
            let filler = (data as NSString).appendingPathComponent("filler-\(cycle)")
            let fillerBytes = fill(filler)
            report.figure("cycle \(cycle): filler bytes", "\(fillerBytes)")
            // Writers fill the rest, each until it has seen 5 refusals.
            let fillStart = ContinuousClock.now
            let round = await StorageDrillSupport.write(daemon, prefix: "FULL\(cycle)", workers: workers, limit: 4000) { round in
                (round.statuses[503] ?? 0) >= 5
            }
            acknowledged.merge(round.acknowledged) { $1 }
            report.figure("cycle \(cycle): answers while filling", StorageDrillSupport.describe(round.statuses)
                          + " in \(String(format: "%.1f", StorageDrillSupport.seconds(since: fillStart))) s")
            report.check("cycle \(cycle): every refused write is a 503 disk-full (no 500, no unanswered request)",
                         round.problemTypes.keys.sorted() == ["disk-full"] && (round.statuses[500] ?? 0) == 0
                             && round.unanswered == 0,
                         "503 types: \(StorageDrillSupport.describe(round.problemTypes)); unanswered \(round.unanswered)")
            report.check("cycle \(cycle): the 503 names the cause (ENOSPC)", round.sampleDetail?.contains("ENOSPC") == true,
                         round.sampleDetail ?? "no 503")
            await whileFull(daemon, listener: listener, sample: sample, cycle: cycle, report: report)

            try? FileManager.default.removeItem(atPath: filler)
            let freed = ContinuousClock.now
            var resumed: Double?
            var n = 0
            while resumed == nil, StorageDrillSupport.seconds(since: freed) < 10 {
                let id = "FREE\(cycle)-\(n)"
                n += 1
                let response = try? await daemon.client().send(
                    "POST", "/v1/dispenses", body: Samples.json(Samples.dispense(id: id, nam: "DISK00000001")))
                if response?.status == 201, let recordID = response?.json?["id"] as? String {
                    acknowledged[id] = recordID
                    resumed = StorageDrillSupport.seconds(since: freed)
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            report.check("cycle \(cycle): writes resume by themselves once space is freed (no restart)",
                         resumed != nil && daemon.pid == pid, resumed.map { String(format: "first 201 after %.2f s", $0) } ?? "none in 10 s")
            // Health turns 200 once no write failed for a probe interval (1 s here).
            var health = await StorageDrillSupport.get(daemon, "/v1/health")
            while health.status != 200, StorageDrillSupport.seconds(since: freed) < 10 {
                try await Task.sleep(for: .milliseconds(200))
                health = await StorageDrillSupport.get(daemon, "/v1/health")
            }
            let storage = await StorageDrillSupport.get(daemon, "/v1/status").json["storage"] as? [String: Any]
            report.check("cycle \(cycle): /v1/health 200 and storage ok again", health.status == 200 && storage?["state"] as? String == "ok",
                         String(format: "health %d after %.1f s, storage ", health.status, StorageDrillSupport.seconds(since: freed))
                             + "\(storage?["state"] ?? "?")")
        }
        report.check("the daemon ran the whole drill without a restart", daemon.pid == pid,
                     String(format: "%.1f s", StorageDrillSupport.seconds(since: started)))
        report.check("the log names the cause (Disk full, ENOSPC)",
                     daemon.output.contains("Disk full (ENOSPC)") && daemon.output.contains("storage.cause=ENOSPC"))

        _ = try await daemon.stop()
        try await daemon.start()
        let missing = await StorageDrillSupport.missing(daemon, acknowledged)
        report.check("after a restart every acknowledged write is there with its content", missing == 0,
                     "\(acknowledged.count) acknowledged, \(missing) missing")
        _ = try await daemon.stop()
        throw ExitCode(report.finish())
    }

    /// 50 writes on the empty disk; all must be acknowledged.
    func baseline(_ daemon: DaemonProcess, report: DrillReport) async throws -> [String: String] {
        let round = await StorageDrillSupport.write(daemon, prefix: "BASE", workers: 5, limit: 10) { _ in false }
        report.check("50 writes before the disk fills are acknowledged", round.acknowledged.count == 50,
                     StorageDrillSupport.describe(round.statuses))
        return round.acknowledged
    }

    /// Fills the file system with one file, then gives back `headroom` bytes for the writers
    /// to fill; returns the file's size.
    func fill(_ path: String, headroom: Int = 512 * 1024) -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        let chunk = Data(count: 64 * 1024)
        var written = 0
        while (try? handle.write(contentsOf: chunk)) != nil { written += chunk.count }
        // Then the last partial chunk's worth, 4 KB at a time.
        let page = Data(count: 4096)
        while (try? handle.write(contentsOf: page)) != nil { written += page.count }
        written = max(0, written - headroom)
        try? handle.truncate(atOffset: UInt64(written))
        return written
    }

    /// The checks while the disk is full.
    func whileFull(_ daemon: DaemonProcess, listener: NotifyListener, sample: (key: String, value: String), cycle: Int,
                   report: DrillReport) async {
        let read = await StorageDrillSupport.get(daemon, "/v1/dispenses/\(sample.value)")
        report.check("cycle \(cycle): reads keep working", read.status == 200 && read.json["pharmacyDispenseId"] as? String == sample.key,
                     "GET answered \(read.status)")
        let audit = await StorageDrillSupport.get(daemon, "/v1/audit")
        report.check("cycle \(cycle): reading the audit keeps working",
                     audit.status == 200 && !((audit.json["entries"] as? [Any])?.isEmpty ?? true),
                     "GET /v1/audit answered \(audit.status); queuedEntries \(audit.json["queuedEntries"] as? Int ?? 0)")
        let health = await StorageDrillSupport.get(daemon, "/v1/health")
        let detail = health.json["detail"] as? String ?? ""
        report.check("cycle \(cycle): /v1/health is 503 disk-full naming ENOSPC",
                     health.status == 503 && (health.json["type"] as? String)?.hasSuffix("/disk-full") == true && detail.contains("ENOSPC"),
                     "\(health.status): \(detail)")
        let storage = await StorageDrillSupport.get(daemon, "/v1/status").json["storage"] as? [String: Any]
        report.check("cycle \(cycle): /v1/status storage says disk-full with the cause",
                     storage?["state"] as? String == "disk-full" && (storage?["cause"] as? String)?.contains("ENOSPC") == true,
                     "\(storage ?? [:])")
        let pings = (try? await listener.countPings(during: .seconds(5))) ?? 0
        report.check("cycle \(cycle): the watchdog keeps pinging while the disk is full (1 s interval)", pings >= 4,
                     "\(pings) pings in 5 s")
    }
}
