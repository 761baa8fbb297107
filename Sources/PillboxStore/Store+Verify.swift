import GRDB
import Synchronization

extension Store {
    /// Checks the whole store (`pillbox verify`, `POST /v1/verify`) on one read snapshot: writes
    /// go on meanwhile, and what is checked is the store as it was when the check began.
    /// `progress(done, total)` is called from the reading thread as rows are checked.
    package func verify(progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> StoreVerification {
        let keys = self.keys
        // A damaged file can make the end of the read transaction fail after every pass ran
        // (and reported it): the result is kept and returned all the same.
        let finished = Mutex<StoreVerification?>(nil)
        do {
            return try await read { db in
                var verifier = StoreVerifier(db: db, keys: keys, progress: progress)
                try verifier.run()
                finished.withLock { $0 = verifier.result }
                return verifier.result
            }
        } catch {
            if let result = finished.withLock({ $0 }) { return result }
            throw error
        }
    }

    /// Checks the audit chain only, reporting every entry that does not hold (not only the first).
    package func verifyAudit() async throws -> StoreVerification {
        let keys = self.keys
        return try await read { db in
            var verifier = StoreVerifier(db: db, keys: keys, progress: { _, _ in })
            try verifier.runAuditOnly()
            return verifier.result
        }
    }
}
