import AsyncAlgorithms
import Logging
import PillboxStore
import ServiceLifecycle

/// Writes the buffered audit entries on a short interval, and once more at shutdown so
/// that a graceful stop loses none.
struct AuditFlushService: Service {
    let auditLog: AuditLog
    let interval: Duration
    let logger: Logger

    func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await flush()
        }
        await flush()
    }

    private func flush() async {
        do {
            try await auditLog.flush()
        } catch {
            logger.error("Audit flush failed; entries kept for the next attempt",
                         metadata: ["audit.pending": "\(auditLog.pendingCount)", "error": "\(error)"])
        }
    }
}

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

/// Tells systemd `STOPPING=1` as soon as a graceful shutdown begins. Listed last, so the
/// service group signals it first.
struct StoppingNotifierService: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: the group is going away without a graceful shutdown
        }
        notifier.notify("STOPPING=1")
    }
}
