import PillboxModel
import PillboxWire

// The wire type of the central link's status.

extension StatusResponse.Central {
    /// The link's status as JSON: dates in RFC 3339, `heldEntries` absent when none.
    init(_ status: CentralStatus) {
        self.init(configured: status.configured, reachable: status.reachable,
                  lastSuccessAt: status.lastSuccessAt.map(Timestamps.format), lastError: status.lastError,
                  lastErrorAt: status.lastFailureAt.map(Timestamps.format), problem: status.condition,
                  problemSince: status.conditionSince.map(Timestamps.format),
                  heldEntries: status.heldEntries > 0 ? status.heldEntries : nil)
        failingSince = status.failingSince.map(Timestamps.format)
    }
}
