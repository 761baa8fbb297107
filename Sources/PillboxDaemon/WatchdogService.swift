import AsyncAlgorithms
import Logging
import NIOCore
import PillboxModel
import PillboxStore
import ServiceLifecycle

/// Pings the systemd watchdog at half its interval while the process answers: a read
/// transaction on the store completes, every event loop of the server runs a task, and the
/// writer is not stuck (writes waiting with none completing for a whole interval).
///
/// A store that cannot write (a full disk, a latched storage failure) is not a hung process:
/// the pings go on, so systemd does not restart a daemon that still serves reads. That state is
/// reported by `/v1/health` (503 naming the cause), `/v1/status` (`storage`) and the log.
/// A check that hangs stops the pings, and systemd restarts the daemon (docs/storage.md).
struct WatchdogService: Service {
    let store: Store
    let notifier: SystemdNotifier
    let interval: Duration
    let eventLoops: any EventLoopGroup
    let logger: Logger

    func run() async throws {
        var withheld = false
        for await _ in AsyncTimerSequence(interval: interval / 2, clock: .continuous).cancelOnGracefulShutdown() {
            let started = ContinuousClock.now
            let problem = await check()
            let took = ContinuousClock.now - started
            if took > interval / 2 {
                logger.warning("Watchdog check was slow", metadata: ["watchdog.check_ms": "\(Int(took.milliseconds))"])
            }
            if let problem {
                if !withheld { logger.critical("Withholding the watchdog ping; systemd will restart pillboxd", metadata: ["watchdog.reason": "\(problem)"]) }
                withheld = true
            } else {
                if withheld { logger.notice("Watchdog pings resumed") }
                withheld = false
                notifier.notify("WATCHDOG=1")
            }
        }
    }

    /// Nil when the process answers, else why not (no patient data).
    func check() async -> String? {
        guard await store.answersReads() else { return "a read transaction on the store failed" }
        for loop in eventLoops.makeIterator() {
            do {
                try await loop.submit {}.get()
            } catch {
                return "an event loop did not run a task"
            }
        }
        if store.writerStalled(longerThan: interval) {
            return "the store's writer made no progress for a whole watchdog interval"
        }
        return nil
    }
}
