import Foundation
import PillboxTestSupport

/// The release `pillboxd` next to this binary, on a store folder laid out as `ChecksBench`
/// seeds it (`data/`, `master.key`), its socket at `folder/s`, a central record that fails
/// fast, and a notification socket standing in for systemd's to time `READY=1`.
final class BenchDaemon {
    let process = Process()
    let socket: String
    /// From `run()` to the `READY=1` datagram, in milliseconds.
    private(set) var readyMilliseconds = 0.0
    var stat: ProcStat { ProcStat(pid: process.processIdentifier) }

    init(folder: String, work: String, centralPort: Int) throws {
        socket = folder + "/s"
        let config: [String: Any] = [
            "central": ["url": "http://127.0.0.1:\(centralPort)/fhir", "pharmacySystem": "https://pharmacy.example/ids/0042",
                        "pharmacyId": "0042", "startJitterSeconds": 0, "prefetch": ["recentDays": 0]],
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: folder + "/pillbox.json"))
        let notifyPath = work + "/notify-\(UInt32.random(in: 0...UInt32.max))"
        let listener = try NotifyListener(path: notifyPath)
        defer { unlink(notifyPath) }
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pillboxd")
        process.arguments = ["--data-dir", folder + "/data", "--socket", socket, "--key-file", folder + "/master.key",
                             "--config", folder + "/pillbox.json", "--log-level", "error"]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notifyPath
        environment.removeValue(forKey: "WATCHDOG_USEC")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: work + "/daemon.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: work + "/daemon.log")
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        let deadline = started + .seconds(600)
        while true {
            if listener.drain().contains(where: { $0.split(separator: "\n").contains("READY=1") }) { break }
            guard process.isRunning, clock.now < deadline else {
                throw BenchError("pillboxd did not send READY=1 (build it: swift build -c release; see \(work)/daemon.log)")
            }
            usleep(200)
        }
        readyMilliseconds = seconds(clock.now - started) * 1000
    }

    /// SIGTERM, and waits for the exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
