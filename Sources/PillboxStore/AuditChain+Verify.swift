import Foundation
import GRDB
import PillboxCrypto
import PillboxModel

extension AuditChain {
    /// Checks every audit entry, reporting each one that does not hold rather than stopping at
    /// the first: a sequence number that is not the next one (entries removed or reordered),
    /// a `prev_hash` that is not the previous entry's stored hash, or a hash that does not
    /// match its fields under the audit key (an edited entry). Each entry is checked against
    /// the stored hash of the one before it, so an edited entry is reported alone, not with
    /// every entry after it. The chain starts after the anchor when entries were archived; an
    /// anchor whose MAC does not hold is a problem of its own. `each` is called once per entry
    /// (for progress).
    static func problems(_ db: Database, key: KeyedHMACSHA256, each: () -> Void) throws -> (entries: Int, problems: [VerifyProblem]) {
        let (start, anchorProblem) = try start(db, key: key)
        var previous = start.previous
        var expectedSeq = start.seq
        var count = 0
        var problems: [VerifyProblem] = anchorProblem.map { [$0] } ?? []
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY seq")
        while let row = try cursor.next() {
            let entry = Store.auditEntry(from: row)
            count += 1
            each()
            let recomputed = hash(of: entry, prev: Array(Hex.decode(entry.prevHash) ?? []), key: key)
            if entry.seq != expectedSeq {
                problems.append(VerifyProblem(.auditChain, auditSeq: entry.seq,
                    "audit entry \(entry.seq) comes where entry \(expectedSeq) should: entries were removed or reordered"))
            } else if entry.prevHash != Hex.encode(previous) {
                problems.append(VerifyProblem(.auditChain, auditSeq: entry.seq,
                    "audit entry \(entry.seq) does not link to the entry before it: entries were removed, reordered or replaced"))
            } else if entry.hash != Hex.encode(recomputed) {
                problems.append(VerifyProblem(.auditChain, auditSeq: entry.seq,
                    "audit entry \(entry.seq) does not match its hash: it was edited"))
            }
            previous = Array(row["hash"] as Data)
            expectedSeq = entry.seq + 1
        }
        return (count, problems)
    }
}
