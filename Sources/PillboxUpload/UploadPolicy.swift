import Foundation

/// The upload decisions, as a value-type state machine: given what happened, it returns
/// what to do next. No I/O and no clock of its own, so it is tested without a network.
///
/// - Start: wait a random time in `[0, startJitter]` (a fleet reconnecting together spreads out).
/// - Transient failure (connection refused/reset, timeout, 429, 5xx, a response lost after
///   sending): wait `random(0, min(max, initial * 2^failures))` (exponential back-off with
///   full jitter, capped), and at least what `Retry-After` asked (up to `maxRetryAfter`).
/// - A bundle refused as a whole with a 4xx: halve the batch and resend at once, so one bad
///   entry is isolated and dead-lettered alone without blocking the others.
/// - Success: reset, and send again at once while work remains.
public struct UploadPolicy: Sendable {
    /// What the uploader should do next.
    public enum Action: Sendable, Equatable {
        /// Send the next batch now, of at most this many entries.
        case send(batchSize: Int)
        /// Wait this many seconds (a sync request may cut it short).
        case wait(seconds: Double)
    }

    /// What the last attempt came to.
    public enum Event: Sendable, Equatable {
        /// The batch was answered entry by entry (whatever each entry's outcome).
        case answered
        /// Nothing to send; `nextDueIn` seconds until a deferred entry is due, if any.
        case empty(nextDueIn: Double?)
        /// The batch did not go through; retry later. `retryAfter` from the server, if any.
        case transient(retryAfter: Double?)
        /// The whole bundle was refused with a 4xx.
        case bundleRefused
    }

    /// The longest `Retry-After` obeyed (seconds); a longer one is taken as this.
    public static let maxRetryAfter: Double = 3600

    public let settings: UploadSettings
    /// Consecutive transient failures.
    public private(set) var failures = 0
    /// Current batch size (shrinks while isolating a refused entry).
    public private(set) var batchSize: Int
    private var random: @Sendable (Double) -> Double

    /// `random(x)` returns a uniform value in `[0, x]`; injectable for tests.
    public init(settings: UploadSettings, random: @escaping @Sendable (Double) -> Double = { Double.random(in: 0...max(0, $0)) }) {
        self.settings = settings
        self.batchSize = settings.batchSize
        self.random = random
    }

    /// The first action after start-up.
    public func start() -> Action {
        .wait(seconds: random(settings.startJitterSeconds))
    }

    /// The back-off ceiling after `failures` consecutive failures.
    public func backoffCeiling(failures: Int) -> Double {
        let exponent = Double(min(max(failures - 1, 0), 30))
        return min(settings.backoffMaxSeconds, settings.backoffInitialSeconds * pow(2, exponent))
    }

    /// The delay before retrying one entry that failed transiently `attempts` times.
    public func entryRetryDelay(attempts: Int, retryAfter: Double?) -> Double {
        max(random(backoffCeiling(failures: attempts)), min(retryAfter ?? 0, Self.maxRetryAfter))
    }

    /// Folds in what happened and returns what to do next.
    public mutating func next(after event: Event) -> Action {
        switch event {
        case .answered:
            failures = 0
            batchSize = settings.batchSize
            return .send(batchSize: batchSize)
        case .empty(let nextDueIn):
            batchSize = settings.batchSize
            return .wait(seconds: min(nextDueIn.map { max($0, 0) } ?? settings.idlePollSeconds, settings.idlePollSeconds))
        case .transient(let retryAfter):
            failures += 1
            let delay = random(backoffCeiling(failures: failures))
            return .wait(seconds: max(delay, min(retryAfter ?? 0, Self.maxRetryAfter)))
        case .bundleRefused:
            batchSize = max(1, batchSize / 2)
            return .send(batchSize: batchSize)
        }
    }

    /// How one entry of a batch-response is handled, by its HTTP status.
    public enum EntryClass: Sendable, Equatable {
        case accepted
        case transient
        /// 401/403: permanent only once a credential check shows our credentials are fine.
        case needsCredentialCheck
        case permanent
    }

    /// Classifies an entry status.
    public static func classify(entryStatus status: Int) -> EntryClass {
        switch status {
        case 200...299: .accepted
        case 408, 429, 500...599: .transient
        case 401, 403: .needsCredentialCheck
        default: .permanent
        }
    }
}
