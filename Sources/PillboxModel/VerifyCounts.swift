/// How much `pillbox verify` checked: rows of each kind read and checked.
package struct VerifyCounts: Sendable, Equatable, Codable {
    /// `dispense` rows.
    package var dispenses: Int
    /// `dispense_version` rows (each payload opened).
    package var versions: Int
    /// `outbox` rows.
    package var outboxEntries: Int
    /// `central_profile` rows (each payload opened).
    package var centralProfiles: Int
    /// `audit` entries (each hash recomputed).
    package var auditEntries: Int

    package init(dispenses: Int = 0, versions: Int = 0, outboxEntries: Int = 0, centralProfiles: Int = 0, auditEntries: Int = 0) {
        self.dispenses = dispenses
        self.versions = versions
        self.outboxEntries = outboxEntries
        self.centralProfiles = centralProfiles
        self.auditEntries = auditEntries
    }

    /// All rows counted.
    package var total: Int { dispenses + versions + outboxEntries + centralProfiles + auditEntries }
}
