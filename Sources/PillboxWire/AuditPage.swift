import PillboxModel

/// `GET /v1/audit`: audit entries in chain order, and the chain's check when asked for.
package struct AuditPage: Sendable, Equatable, Codable {
    package var entries: [AuditEntry]
    /// Present with `verify=true`.
    package var chain: Chain?

    package init(entries: [AuditEntry], chain: Chain?) {
        self.entries = entries
        self.chain = chain
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
