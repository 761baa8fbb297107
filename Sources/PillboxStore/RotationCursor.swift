import Foundation

/// Where a rotation's pass stands: which kind of payload it is re-encrypting and the last row
/// it looked at. Kept in memory only: after a restart a pass starts again from the first row,
/// and finds only the payloads still under a retired key (the others were re-encrypted by
/// committed batches), so nothing is done twice and nothing is missed.
package struct RotationCursor: Sendable, Equatable {
    enum Phase: Sendable, Equatable { case versions, outcomes, profiles, done }

    var phase = Phase.versions
    var afterVersion: (id: String, version: Int)?
    var afterSeq: Int64 = 0
    var afterIndex: Data?
    /// Payloads re-encrypted during this pass; a pass that re-encrypted none and still finds
    /// payloads under a retired key has found payloads that do not open (`unreadable`).
    var rewrittenThisPass = 0

    package init() {}

    package static func == (lhs: RotationCursor, rhs: RotationCursor) -> Bool {
        lhs.phase == rhs.phase && lhs.afterVersion?.id == rhs.afterVersion?.id
            && lhs.afterVersion?.version == rhs.afterVersion?.version && lhs.afterSeq == rhs.afterSeq
            && lhs.afterIndex == rhs.afterIndex && lhs.rewrittenThisPass == rhs.rewrittenThisPass
    }
}
