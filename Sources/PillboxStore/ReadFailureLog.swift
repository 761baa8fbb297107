import Logging
import Synchronization

/// Logs why reads of the store fail (a damaged page, an I/O error): the caller answers 503
/// `store-unavailable`, and without this line the technician it sends for would find no cause
/// in the log. At most one line per `interval`, counting the failures since the last line, so
/// that a store that stops answering every read does not flood the journal. The cause is
/// SQLite's code and message (`Store.describe`: no SQL arguments), never patient data.
final class ReadFailureLog: Sendable {
    private struct State {
        var lastLine: ContinuousClock.Instant?
        var unlogged = 0
    }

    static let message = "A read of the store failed; requests that need it are answered 503 store-unavailable "
        + "(run pillbox verify to find what is damaged)"

    let interval: Duration
    private let state = Mutex(State())

    init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    /// Counts one failure at `now`; when a line is due, returns the failures it reports (this
    /// one and those not logged since the last line), else nil.
    func count(at now: ContinuousClock.Instant) -> Int? {
        state.withLock { state in
            state.unlogged += 1
            if let last = state.lastLine, now - last < interval { return nil }
            state.lastLine = now
            defer { state.unlogged = 0 }
            return state.unlogged
        }
    }

    /// Counts one failure, and logs it when a line is due.
    func failed(_ cause: String, logger: Logger, at now: ContinuousClock.Instant = .now) {
        guard let failures = count(at: now) else { return }
        logger.error("\(Self.message)", metadata: ["error.detail": "\(cause)", "store.readFailures": "\(failures)"])
    }
}
