import AsyncAlgorithms
import Logging
import PillboxStore
import ServiceLifecycle

/// Pings the systemd watchdog at half its interval, only while the store can commit, so
/// that systemd restarts a daemon whose store is stuck.
struct WatchdogService: Service {
    let store: Store
    let notifier: SystemdNotifier
    let interval: Duration
    let logger: Logger

    func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval / 2, clock: .continuous).cancelOnGracefulShutdown() {
            if await store.isWritable() {
                notifier.notify("WATCHDOG=1")
            } else {
                logger.error("Store not writable; withholding the watchdog ping")
            }
        }
    }
}
