import PillboxModel

/// `GET /v1/audit`: audit entries in chain order, and the chain's check when asked for.
package struct AuditPage: Sendable, Equatable, Codable {
    package var entries: [AuditEntry]
    /// Present with `verify=true`.
    package var chain: Chain?
    /// Present when the entries waiting in memory could not be appended before this page was
    /// read (disk full, failed storage): how many are waiting, not in `entries`. They are
    /// appended, in order, once the store can write again (docs/audit.md).
    package var queuedEntries: Int?

    package init(entries: [AuditEntry], chain: Chain?, queuedEntries: Int? = nil) {
        self.entries = entries
        self.chain = chain
        self.queuedEntries = queuedEntries
    }

    /// The result of checking the whole chain.
    package struct Chain: Sendable, Equatable, Codable {
        package var intact: Bool
        /// Entries checked.
        package var entries: Int
        package var firstBrokenSeq: Int64?

        package init(intact: Bool, entries: Int, firstBrokenSeq: Int64?) {
            self.intact = intact
            self.entries = entries
            self.firstBrokenSeq = firstBrokenSeq
        }
    }
}
