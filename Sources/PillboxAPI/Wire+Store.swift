import PillboxModel
import PillboxStore
import PillboxWire

// The wire types built from the store's and the central link's values.

extension AuditPage.Entry {
    init(_ entry: AuditEntry) {
        self.init(seq: entry.seq, at: entry.at, uid: entry.uid, pid: entry.pid, role: entry.role, action: entry.action,
                  dispenseID: entry.dispenseID, outcome: entry.outcome, patientRef: entry.patientRef,
                  prevHash: entry.prevHash, hash: entry.hash)
    }
}

extension OutboxPage.Entry {
    init(_ entry: OutboxEntry) {
        self.init(seq: entry.seq, dispenseId: entry.dispenseId, version: entry.version, state: entry.state,
                  attempts: entry.attempts, createdAt: entry.createdAt, nextAttemptAt: entry.nextAttemptAt,
                  sentAt: entry.sentAt, lastError: entry.lastError, outcome: entry.outcome)
    }
}

extension StatusResponse.Central {
    /// The link's status as JSON: dates in RFC 3339, `heldEntries` absent when none.
    init(_ status: CentralStatus) {
        self.init(configured: status.configured, reachable: status.reachable,
                  lastSuccessAt: status.lastSuccessAt.map(Timestamps.format), lastError: status.lastError,
                  lastErrorAt: status.lastFailureAt.map(Timestamps.format), problem: status.condition,
                  problemSince: status.conditionSince.map(Timestamps.format),
                  heldEntries: status.heldEntries > 0 ? status.heldEntries : nil)
    }
}
