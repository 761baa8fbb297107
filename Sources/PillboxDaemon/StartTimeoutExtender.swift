import Dispatch
import Foundation
import PillboxModel

/// Keeps systemd from killing a start that takes long: a store upgrade (migration
/// `v5-versions-by-patient` copies every version: 29–43 s from start to answering on a store of a
/// million versions on the development machine, more on a slow board) would otherwise run into
/// the unit's start timeout (90 s by default), be rolled back, and start again in a loop. While
/// `work` runs, every `every` tells systemd to wait `extendBy` more (`EXTEND_TIMEOUT_USEC`) and
/// why (`STATUS`). A start that hangs still ends: once `work` stops returning, nothing extends.
enum StartTimeoutExtender {
    static let status = "Opening the data folder: a store upgrade runs once and can take minutes; see the log"

    static func whileRunning<T>(_ notifier: SystemdNotifier, every: Duration = .seconds(20), extendBy: Duration = .seconds(60),
                                _ work: () throws -> T) rethrows -> T {
        guard notifier.socketPath != nil else { return try work() }
        let microseconds = Int(extendBy.milliseconds * 1000)
        let interval = DispatchTimeInterval.milliseconds(Int(every.milliseconds))
        // A thread of its own, not a Dispatch timer: a timer on a global queue did not fire at
        // all in a loaded test run, and nothing must stand between the upgrade and systemd.
        let stop = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while stop.wait(timeout: .now() + interval) == .timedOut {
                notifier.notify("EXTEND_TIMEOUT_USEC=\(microseconds)\nSTATUS=\(status)")
            }
            stopped.signal()
        }
        defer {
            stop.signal()
            stopped.wait()
        }
        return try work()
    }
}
