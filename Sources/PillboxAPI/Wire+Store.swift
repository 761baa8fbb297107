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
    init(_ status: CentralStatus) {
        self.init(configured: status.configured, reachable: status.reachable, lastSuccessAt: status.lastSuccessAt,
                  lastError: status.lastError, lastErrorAt: status.lastErrorAt, problem: status.problem,
                  problemSince: status.problemSince, heldEntries: status.heldEntries)
    }
}
