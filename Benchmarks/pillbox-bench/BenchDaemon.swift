import Foundation
import PillboxTestSupport

/// The release `pillboxd` next to this binary, on a store folder laid out as `ChecksBench`
/// seeds it (`data/`, `master.key`), its socket at `folder/s`, a central record that fails
/// fast, and a notification socket standing in for systemd's to time `READY=1`.
final class BenchDaemon {
    let child: WatchedChild
    let socket: String
    /// From the spawn to the `READY=1` datagram, in milliseconds.
    let readyMilliseconds: Double
    var stat: ProcStat { ProcStat(pid: child.pid) }

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
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notifyPath
        environment.removeValue(forKey: "WATCHDOG_USEC")
        let clock = ContinuousClock()
        let started = clock.now
        child = try WatchedChild(BenchChild.sibling("pillboxd"), [
            "--data-dir", folder + "/data", "--socket", socket, "--key-file", folder + "/master.key",
            "--config", folder + "/pillbox.json", "--log-level", "error",
        ], environment: environment, output: .discard, errors: .append(work + "/daemon.log"))
        let deadline = started + .seconds(600)
        while true {
            if listener.drain().contains(where: { $0.split(separator: "\n").contains("READY=1") }) { break }
            guard child.exitCode() == nil, clock.now < deadline else {
                child.stop()
                throw BenchError("pillboxd did not send READY=1 (build it: swift build -c release; see \(work)/daemon.log)")
            }
            usleep(200)
        }
        readyMilliseconds = seconds(clock.now - started) * 1000
    }

    /// SIGTERM, and waits for the exit.
    func stop() { child.stop() }
}
