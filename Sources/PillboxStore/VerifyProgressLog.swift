import Foundation
import Logging
import Synchronization

/// The daemon's log lines while `pillbox verify` runs online (`POST /v1/verify`), so that a
/// technician waiting minutes on a large store sees, with `journalctl -u pillboxd -f`, that it
/// is going on and how far it is: one line when it starts (SQLite's own check comes first and
/// says nothing until it ends), one at each tenth of the rows, one at the end. Counts only.
final class VerifyProgressLog: Sendable {
    private let logger: Logger
    private let scope: String
    private let started = ContinuousClock.now
    /// The tenths of the rows already logged; nil until the start is logged.
    private let tenths = Mutex<Int?>(nil)

    init(logger: Logger, scope: String) {
        self.logger = logger
        self.scope = scope
    }

    /// `StoreVerifier`'s progress: called with 0 before anything is checked, then every 256 rows.
    func report(done: Int, total: Int) {
        enum Line { case start, tenth }
        let line: Line? = tenths.withLock { logged in
            guard let last = logged else {
                logged = 0
                return .start
            }
            guard total > 0, done > 0, done < total, done * 10 / total > last else { return nil }
            logged = done * 10 / total
            return .tenth
        }
        switch line {
        case .start:
            let first = scope == "audit" ? "the audit trail's entries" : "SQLite's integrity check first, then each row"
            logger.info("Store verification: started (\(first))",
                        metadata: ["verify.scope": "\(scope)", "verify.rows": "\(total)"])
        case .tenth:
            logger.info("Store verification: checking the rows", metadata: [
                "verify.scope": "\(scope)", "verify.done": "\(done)", "verify.rows": "\(total)",
            ])
        case nil:
            break
        }
    }

    /// The last line: how much was checked, how many problems, how long it took.
    func finished(_ result: StoreVerification) {
        let seconds = (ContinuousClock.now - started) / .milliseconds(1) / 1000
        logger.info("Store verification: finished", metadata: [
            "verify.scope": "\(scope)", "verify.problems": "\(result.problems.count)",
            "verify.seconds": "\(String(format: "%.1f", seconds))",
        ])
    }
}
