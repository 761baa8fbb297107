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
        let timer = DispatchSource.makeTimerSource(queue: .global())
        let microseconds = Int(extendBy.milliseconds * 1000)
        let interval = DispatchTimeInterval.milliseconds(Int(every.milliseconds))
        timer.setEventHandler { notifier.notify("EXTEND_TIMEOUT_USEC=\(microseconds)\nSTATUS=\(status)") }
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.resume()
        defer { timer.cancel() }
        return try work()
    }
}
