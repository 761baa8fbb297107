import Foundation

/// What the daemon knows about the central record at one moment, for `/v1/status` and
/// metrics. Never holds patient data.
package struct CentralStatus: Sendable, Equatable {
    package var configured: Bool
    /// nil until the first attempt.
    package var reachable: Bool?
    package var lastSuccessAt: Date?
    package var lastFailureAt: Date?
    /// The first failure since the last success; nil while the link works.
    package var failingSince: Date?
    /// Non-identifying: a status code, an error kind.
    package var lastError: String?
    package var consecutiveFailures = 0
    /// A configuration problem in force (`systemic-refusal`, `credentials`,
    /// `configuration`): the central record answers but takes nothing. nil when none.
    package var condition: String?
    /// Since when `condition` holds.
    package var conditionSince: Date?
    /// Entries held back as suspects (refused while nothing was accepted): pending, not dead.
    package var heldEntries = 0

    /// A status with nothing known yet but the given facts.
    package init(configured: Bool, reachable: Bool? = nil, lastSuccessAt: Date? = nil, lastFailureAt: Date? = nil,
                lastError: String? = nil) {
        self.configured = configured
        self.reachable = reachable
        self.lastSuccessAt = lastSuccessAt
        self.lastFailureAt = lastFailureAt
        self.lastError = lastError
    }
}
