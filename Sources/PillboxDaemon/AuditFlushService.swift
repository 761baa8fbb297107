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
