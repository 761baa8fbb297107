import ArgumentParser
import Foundation
import PillboxTestSupport
import Synchronization

/// Drill 2: failed fsyncs and write errors, injected into the real daemon with Debian's
/// `fiu-utils` (libfiu's POSIX preload library, controlled at a chosen moment by `fiu-ctrl`).
///
/// SQLite here syncs with `fdatasync` (one per commit, checked with strace) and writes with
/// `pwrite64`; libfiu wraps both (`posix/io/sync/fdatasync`, `posix/io/rw/pwrite`). Scenarios:
/// ENOSPC on writes (transient: 503 disk-full, writes resume when it stops), then per daemon
/// run one latching fault (every fdatasync failing with EIO; 20 % of writes failing with EIO)
/// under concurrent writers. Checks: no write that started after the fault was on is
/// acknowledged, the store latches (health 503 storage-failed, writes refused even once the
/// fault is off, the WAL file no longer changes), reads go on, and after a restart without
/// faults every acknowledged write is there and the audit chain is intact.
struct FsyncFaultsDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsync-faults",
        abstract: "Inject failed fdatasync and write errors into pillboxd with libfiu (docs/reliability.md).")

    /// A latching fault: a libfiu failure point and how it is enabled.
    struct Fault {
        var name: String
        var command: String
        var cause: String
    }

    func run() async throws {
        let report = DrillReport(name: "fsync-faults")
        let rounds = DrillReport.long ? 5 : 1
        guard FileManager.default.fileExists(atPath: "/usr/lib/fiu/fiu_posix_preload.so") else {
            report.check("libfiu is installed (apt-get install fiu-utils)", false)
            throw ExitCode(report.finish())
        }
        let faults = [
            Fault(name: "every fdatasync fails (EIO)", command: "enable name=posix/io/sync/fdatasync,failinfo=5",
                  cause: "SQLITE_IOERR_FSYNC"),
            Fault(name: "20% of pwrite calls fail (EIO)",
                  command: "enable_random name=posix/io/rw/pwrite,probability=0.2,failinfo=5", cause: "SQLITE_IOERR_WRITE"),
        ]
        for round in 1...rounds {
            for (index, fault) in faults.enumerated() {
                try await scenario(fault, transientFirst: index == 0, label: rounds > 1 ? "round \(round), " : "", report: report)
            }
        }
        throw ExitCode(report.finish())
    }

    func scenario(_ fault: Fault, transientFirst: Bool, label: String, report: DrillReport) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let arguments = try StorageDrillSupport.arguments(directory, config: ["healthProbeSeconds": 1])
        let fifo = directory.file("fiu")
        let faulty = DaemonProcess(directory: directory, arguments: arguments, environment: [
            "LD_PRELOAD": "/usr/lib/fiu/fiu_run_preload.so /usr/lib/fiu/fiu_posix_preload.so",
            "FIU_CTRL_FIFO": fifo, "FIU_ENABLE": "",
        ])
        try await faulty.start()
        guard let pid = faulty.pid else { return }
        let control = { (command: String) -> Bool in
            StorageDrillSupport.run("fiu-ctrl", ["-f", fifo, "-c", command, "\(pid)"]).status == 0
        }
        let name = "\(label)\(fault.name)"
        var acknowledged = await StorageDrillSupport.write(faulty, prefix: "BASE", workers: 4, limit: 10) { _ in false }.acknowledged
        report.check("\(name): 40 writes before any fault are acknowledged", acknowledged.count == 40)
        let sample = acknowledged.first!

        if transientFirst {
            acknowledged.merge(try await enospc(faulty, control: control, report: report)) { $1 }
        }

        // Writers run continuously; the fault goes on after 1 s.
        let timeline = Timeline()
        let writers = Task { await timeline.write(faulty, workers: 8, seconds: 4) }
        try await Task.sleep(for: .seconds(1))
        guard control(fault.command) else {
            report.check("\(name): fiu-ctrl enables the fault", false)
            writers.cancel()
            _ = try? await faulty.stop()
            return
        }
        let faultOn = ContinuousClock.now
        try await Task.sleep(for: .seconds(2))
        _ = control("disable name=\(fault.command.split(separator: "=")[1].split(separator: ",")[0])")
        let faultOff = ContinuousClock.now
        let answers = await writers.value
        acknowledged.merge(answers.acknowledged) { $1 }
        let afterOn = answers.entries.filter { $0.started > faultOn }
        let ackedAfterOn = afterOn.filter { $0.status == 201 }.count
        report.figure("\(name): answers", "\(answers.entries.count) writes: "
                      + StorageDrillSupport.describe(Dictionary(answers.entries.map { ($0.status, 1) }, uniquingKeysWith: +))
                      + "; \(afterOn.count) started after the fault was on")
        report.check("\(name): no write started after the fault was on is acknowledged", ackedAfterOn == 0 && !afterOn.isEmpty,
                     "\(ackedAfterOn) of \(afterOn.count) acknowledged")
        let afterOff = answers.entries.filter { $0.started > faultOff }
        report.check("\(name): writes stay refused (503 storage-failed) after the fault is off: the store latched",
                     !afterOff.isEmpty && afterOff.allSatisfy { $0.status == 503 && $0.type == "storage-failed" },
                     "\(afterOff.count) writes after the fault was off: "
                         + StorageDrillSupport.describe(Dictionary(afterOff.map { ("\($0.status) \($0.type)", 1) }, uniquingKeysWith: +)))
        let health = await StorageDrillSupport.get(faulty, "/v1/health")
        let detail = health.json["detail"] as? String ?? ""
        report.check("\(name): /v1/health is 503 storage-failed naming the cause",
                     health.status == 503 && (health.json["type"] as? String)?.hasSuffix("/storage-failed") == true
                         && detail.contains("SQLITE_IOERR") && detail.contains("restart"),
                     "\(health.status): \(detail)")
        let read = await StorageDrillSupport.get(faulty, "/v1/dispenses/\(sample.value)")
        report.check("\(name): reads go on", read.status == 200)
        let wal = directory.file("data/pillbox.sqlite-wal")
        let walBefore = try? FileManager.default.attributesOfItem(atPath: wal)
        let refused = await StorageDrillSupport.write(faulty, prefix: "LATCHED", workers: 2, limit: 10) { _ in false }
        try await Task.sleep(for: .milliseconds(500))  // an audit flush
        let walAfter = try? FileManager.default.attributesOfItem(atPath: wal)
        report.check("\(name): the daemon stopped writing: 20 more writes refused, the WAL file unchanged",
                     refused.statuses == [503: 20] && walBefore?[.size] as? Int == walAfter?[.size] as? Int
                         && walBefore?[.modificationDate] as? Date == walAfter?[.modificationDate] as? Date,
                     StorageDrillSupport.describe(refused.statuses))
        report.check("\(name): the daemon keeps running (latched, serving reads)", faulty.pid == pid)
        report.check("\(name): the log names the failure", faulty.output.contains("Storage failed")
                     && faulty.output.contains(fault.cause), "expected \(fault.cause) in the log")

        _ = try await faulty.stop()
        let clean = DaemonProcess(directory: directory, arguments: arguments)
        let restartStart = ContinuousClock.now
        try await clean.start()
        let restart = StorageDrillSupport.seconds(since: restartStart)
        let missing = await StorageDrillSupport.missing(clean, acknowledged)
        report.check("\(name): after a restart without faults every acknowledged write is there",
                     missing == 0, "\(acknowledged.count) acknowledged, \(missing) missing; ready in \(String(format: "%.2f", restart)) s")
        let after = await StorageDrillSupport.write(clean, prefix: "AFTER", workers: 2, limit: 5) { _ in false }
        let chain = await StorageDrillSupport.get(clean, "/v1/audit?verify=true&limit=1").json["chain"] as? [String: Any]
        report.check("\(name): after the restart writes are acknowledged again and the audit chain is intact",
                     after.statuses == [201: 10] && chain?["intact"] as? Bool == true,
                     "\(StorageDrillSupport.describe(after.statuses)); chain \(chain ?? [:])")
        _ = try await clean.stop()
    }

    /// ENOSPC on every pwrite for 2 s: refused as disk-full, not latched; returns what was acknowledged.
    func enospc(_ daemon: DaemonProcess, control: (String) -> Bool, report: DrillReport) async throws -> [String: String] {
        guard control("enable name=posix/io/rw/pwrite,failinfo=28") else {
            report.check("ENOSPC on writes: fiu-ctrl enables the fault", false)
            return [:]
        }
        let during = await StorageDrillSupport.write(daemon, prefix: "NOSPC", workers: 4, limit: 10) { _ in false }
        let health = await StorageDrillSupport.get(daemon, "/v1/health")
        _ = control("disable name=posix/io/rw/pwrite")
        report.check("ENOSPC on writes: every write is refused as 503 disk-full",
                     during.statuses == [503: 40] && during.problemTypes == ["disk-full": 40],
                     StorageDrillSupport.describe(during.problemTypes))
        report.check("ENOSPC on writes: /v1/health 503 disk-full naming ENOSPC (not latched)",
                     health.status == 503 && (health.json["detail"] as? String)?.contains("ENOSPC") == true)
        let after = await StorageDrillSupport.write(daemon, prefix: "SPACE", workers: 4, limit: 5) { _ in false }
        report.check("ENOSPC on writes: writes resume by themselves once it stops", after.statuses == [201: 20],
                     StorageDrillSupport.describe(after.statuses))
        return after.acknowledged
    }
}

/// Every write's start time and answer, from concurrent writers.
final class Timeline: Sendable {
    struct Entry: Sendable {
        var started: ContinuousClock.Instant
        var status: Int
        var type: String
        var dispenseID: String
        var id: String?
    }

    struct Answers: Sendable {
        var entries: [Entry]
        var acknowledged: [String: String] {
            Dictionary(entries.compactMap { entry in entry.id.map { (entry.dispenseID, $0) } }, uniquingKeysWith: { $1 })
        }
    }

    private let entries = Mutex<[Entry]>([])

    func write(_ daemon: DaemonProcess, workers: Int, seconds: Double) async -> Answers {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    let client = daemon.client()
                    var n = 0
                    while ContinuousClock.now < end {
                        let dispenseID = "RUN-\(worker)-\(n)"
                        n += 1
                        let started = ContinuousClock.now
                        let body = Samples.json(Samples.dispense(id: dispenseID, nam: String(format: "FSYN%08d", n % 500)))
                        let response = try? await client.send("POST", "/v1/dispenses", body: body)
                        let status = response?.status ?? 0
                        let type = (response?.json?["type"] as? String)?.components(separatedBy: "/").last ?? ""
                        let id = status == 201 ? response?.json?["id"] as? String : nil
                        self.entries.withLock { $0.append(Entry(started: started, status: status, type: type, dispenseID: dispenseID, id: id)) }
                    }
                }
            }
        }
        return Answers(entries: entries.withLock { $0 })
    }
}
