import PillboxModel

/// What `/v1/status` says about the central record: `CentralStatus` as JSON, dates in RFC 3339.
struct CentralStatusBody: Sendable, Equatable, Encodable {
    var configured: Bool
    /// nil until the first attempt.
    var reachable: Bool?
    var lastSuccessAt: String?
    var lastError: String?
    /// When `lastError` happened.
    var lastErrorAt: String?
    /// A configuration problem in force: `systemic-refusal` (the central record refuses every
    /// entry), `credentials` or `configuration`; absent when none. Uploads wait and retry.
    var problem: String?
    /// Since when `problem` holds.
    var problemSince: String?
    /// Entries held back (pending, not dead-lettered) because they were refused while
    /// nothing else was accepted; absent when none.
    var heldEntries: Int?

    init(_ status: CentralStatus) {
        configured = status.configured
        reachable = status.reachable
        lastSuccessAt = status.lastSuccessAt.map(Timestamps.format)
        lastError = status.lastError
        lastErrorAt = status.lastFailureAt.map(Timestamps.format)
        problem = status.condition
        problemSince = status.conditionSince.map(Timestamps.format)
        heldEntries = status.heldEntries > 0 ? status.heldEntries : nil
    }
}
