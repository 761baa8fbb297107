import GRDB

extension Store {
    /// Checks the whole store (`pillbox verify`, `POST /v1/verify`) on one read snapshot: writes
    /// go on meanwhile, and what is checked is the store as it was when the check began.
    /// `progress(done, total)` is called from the reading thread as rows are checked.
    package func verify(progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> StoreVerification {
        let keys = self.keys
        return try await read { db in
            var verifier = StoreVerifier(db: db, keys: keys, progress: progress)
            try verifier.run()
            return verifier.result
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
