import Foundation
import GRDB
import PillboxModel
import PillboxCrypto

extension Store {
    /// Appends audit entries in one shared commit.
    package func appendAudit(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        let keys = self.keys
        try await write { db in try Self.appendAudit(db, keys: keys, events: events) }
    }

    /// Audit entries recorded at or after `since` and after sequence number `after`, in
    /// chain order, at most `limit`. Page with `after` = the last `seq` received.
    package func auditEntries(since: Date?, after: Int64 = 0, limit: Int) async throws -> [AuditEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE seq > ? AND at >= ? ORDER BY seq LIMIT ?",
                             arguments: [after, since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude, limit])
                .map(Self.auditEntry(from:))
        }
    }

    /// Re-computes the whole chain: every hash, every link to the previous entry, and that
    /// the sequence has no gap. Editing, deleting or reordering an entry breaks it. The chain
    /// starts after the anchor when entries were archived; an anchor whose MAC does not hold
    /// is reported as broken at the anchor's sequence number.
    package func verifyAuditChain() async throws -> AuditVerification {
        let key = keys.auditMAC
        return try await read { db in
            let (start, anchorProblem) = try AuditChain.start(db, key: key)
            if let anchorProblem { return AuditVerification(entries: 0, firstBrokenSeq: anchorProblem.auditSeq) }
            var previous = start.previous
            var expectedSeq = start.seq
            var count = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY seq")
            while let row = try cursor.next() {
                let entry = Self.auditEntry(from: row)
                count += 1
                guard let recomputed = AuditChain.holding(entry, seq: expectedSeq, previous: previous, key: key) else {
                    return AuditVerification(entries: count, firstBrokenSeq: entry.seq)
                }
                previous = recomputed
                expectedSeq += 1
            }
            return AuditVerification(entries: count, firstBrokenSeq: nil)
        }
    }

    static func appendAudit(_ db: Database, keys: StoreKeys, events: [AuditEvent]) throws {
        var seq: Int64 = 0
        var previous = AuditChain.genesis
        if let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
            (seq, previous) = (last["seq"], Array(last["hash"] as Data))
        } else if let anchor = try AuditAnchor.read(db) {
            // Every entry was archived: the chain goes on from the last archived one.
            (seq, previous) = (anchor.seq, anchor.hash)
        }
        for event in events {
            seq += 1
            let at = event.at.timeIntervalSince1970
            let patientRef = event.patientNAM.map(keys.patientReference(nam:))
            let hash = AuditChain.hash(prev: previous, seq: seq, at: at, uid: event.uid, pid: event.pid, role: event.role,
                                       action: event.action, dispenseID: event.dispenseID, outcome: event.outcome,
                                       patientRef: patientRef, key: keys.auditMAC)
            try db.cachedStatement(sql: """
                INSERT INTO audit (seq, at, uid, pid, role, action, dispense_id, outcome, patient_ref, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [seq, at, Int64(event.uid), Int64(event.pid), event.role, event.action, event.dispenseID,
                                 event.outcome, patientRef, Data(previous), Data(hash)])
            previous = hash
        }
    }

    static func auditEntry(from row: Row) -> AuditEntry {
        AuditEntry(seq: row["seq"], at: row["at"], uid: UInt32(truncatingIfNeeded: row["uid"] as Int64),
                   pid: Int32(truncatingIfNeeded: row["pid"] as Int64), role: row["role"], action: row["action"],
                   dispenseID: row["dispense_id"], outcome: row["outcome"], patientRef: row["patient_ref"],
                   prevHash: Hex.encode(Array(row["prev_hash"] as Data)), hash: Hex.encode(Array(row["hash"] as Data)))
    }
}
