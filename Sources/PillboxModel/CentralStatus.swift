import Foundation

/// What the daemon knows about the central record at one moment, for `/v1/status` and
/// metrics. Never holds patient data.
public struct CentralStatus: Sendable, Equatable {
    public var configured: Bool
    /// nil until the first attempt.
    public var reachable: Bool?
    public var lastSuccessAt: Date?
    public var lastFailureAt: Date?
    /// Non-identifying: a status code, an error kind.
    public var lastError: String?
    public var consecutiveFailures = 0
    /// A configuration problem in force (`systemic-refusal`, `credentials`,
    /// `configuration`): the central record answers but takes nothing. nil when none.
    public var condition: String?
    /// Since when `condition` holds.
    public var conditionSince: Date?
    /// Entries held back as suspects (refused while nothing was accepted): pending, not dead.
    public var heldEntries = 0

    /// A status with nothing known yet but the given facts.
    public init(configured: Bool, reachable: Bool? = nil, lastSuccessAt: Date? = nil, lastFailureAt: Date? = nil,
                lastError: String? = nil) {
        self.configured = configured
        self.reachable = reachable
        self.lastSuccessAt = lastSuccessAt
        self.lastFailureAt = lastFailureAt
        self.lastError = lastError
    }
}
