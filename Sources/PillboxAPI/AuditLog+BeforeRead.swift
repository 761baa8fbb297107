import PillboxStore

extension AuditLog {
    /// Appends the queued entries before `GET /v1/audit` reads the trail; nil once they are in.
    ///
    /// When the store cannot append them (the disk is full, the storage failed: the states in
    /// which every other read goes on), the read goes on without them instead of answering
    /// 503: it returns how many are still waiting, which the page reports as `queuedEntries`.
    /// They stay queued, ahead of newer ones, and the flush service appends them once the
    /// store can write again, like the entries of every other read (docs/audit.md).
    func flushBeforeRead() async throws -> Int? {
        do {
            try await flush()
            return nil
        } catch is StoreError {
            return pendingCount
        }
    }
}
