import GRDB
import Synchronization

extension Store {
    /// Checks the whole store (`pillbox verify`, `POST /v1/verify`) on one read snapshot: writes
    /// go on meanwhile, and what is checked is the store as it was when the check began. Logs
    /// its progress (`VerifyProgressLog`).
    package func verify() async throws -> StoreVerification {
        let keys = self.keys
        let progress = VerifyProgressLog(logger: logger, scope: "all")
        // A damaged file can make the end of the read transaction fail after every pass ran
        // (and reported it): the result is kept and returned all the same.
        let finished = Mutex<StoreVerification?>(nil)
        let result: StoreVerification
        do {
            result = try await read { db in
                var verifier = StoreVerifier(db: db, keys: keys, progress: progress.report)
                try verifier.run()
                finished.withLock { $0 = verifier.result }
                return verifier.result
            }
        } catch {
            guard let kept = finished.withLock({ $0 }) else { throw error }
            result = kept
        }
        progress.finished(result)
        return result
    }

    /// Checks the audit chain only, reporting every entry that does not hold (not only the first).
    package func verifyAudit() async throws -> StoreVerification {
        let keys = self.keys
        let progress = VerifyProgressLog(logger: logger, scope: "audit")
        let result = try await read { db in
            var verifier = StoreVerifier(db: db, keys: keys, progress: progress.report)
            try verifier.runAuditOnly()
            return verifier.result
        }
        progress.finished(result)
        return result
    }
}
