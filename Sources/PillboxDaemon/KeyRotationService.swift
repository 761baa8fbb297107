import AsyncAlgorithms
import Foundation
import Logging
import PillboxStore
import ServiceLifecycle

/// Runs a data-key rotation to its end in the background (docs/operations.md): batches of
/// `rotationBatchSize` payloads, each one short write through group commit, with
/// `rotationPauseMilliseconds` between them so that dispensing writes are not starved. While
/// no rotation is unfinished it only looks at the store's in-memory flag once a second. The
/// rotation's state is in the database, so after a crash the next start continues it.
struct KeyRotationService: Service {
    let store: Store
    let settings: KeySettings
    let logger: Logger
    /// How often an idle service looks for a rotation to run.
    static let idleCheck = Duration.seconds(1)

    func run() async throws {
        var cursor = RotationCursor()
        for await _ in AsyncTimerSequence(interval: Self.idleCheck, clock: .continuous).cancelOnGracefulShutdown() {
            while store.keyRotationPending && !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    guard let step = try await store.rotateKeyBatch(from: cursor, limit: settings.rotationBatchSize,
                                                                     now: Date()) else { break }
                    cursor = step.finished ? RotationCursor() : step.cursor
                    if step.finished { break }
                } catch {
                    // A full disk or a failed store: try again on the next tick, from where it stood.
                    logger.warning("Data key rotation batch failed; retrying in a second",
                                   metadata: ["error": "\(error)"])
                    break
                }
                try? await Task.sleep(for: .milliseconds(settings.rotationPauseMilliseconds))
            }
        }
    }
}
