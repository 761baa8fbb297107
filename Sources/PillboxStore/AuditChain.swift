import Foundation
import PillboxCrypto
import PillboxModel

/// An audit entry before it takes its place in the chain.
package struct AuditEvent: Sendable, Equatable {
    package var at: Date
    package var uid: UInt32
    package var pid: Int32
    package var role: String
    package var action: String
    package var dispenseID: String?
    package var outcome: Int
    /// The patient concerned (normalized NAM), turned into a keyed hash before storage.
    package var patientNAM: String?

    package init(at: Date, uid: UInt32, pid: Int32, role: String, action: String, dispenseID: String? = nil,
                outcome: Int, patientNAM: String? = nil) {
        self.at = at
        self.uid = uid
        self.pid = pid
        self.role = role
        self.action = action
        self.dispenseID = dispenseID
        self.outcome = outcome
        self.patientNAM = patientNAM
    }
}

/// The hash chain's rule, in one place for writing and verifying.
enum AuditChain {
    static let genesis = [UInt8](repeating: 0, count: 32)

    /// HMAC-SHA256 under the audit key over the previous hash and this entry's fields:
    /// without the key, an edited entry cannot be given a matching hash.
    static func hash(prev: [UInt8], seq: Int64, at: Double, uid: UInt32, pid: Int32, role: String, action: String,
                     dispenseID: String?, outcome: Int, patientRef: String?, key: KeyedHMACSHA256) -> [UInt8] {
        // Present values are prefixed "=", absent ones are "-": no value can pass for absence.
        let fields = [String(seq), String(at.bitPattern), String(uid), String(pid), role, action,
                      dispenseID.map { "=" + $0 } ?? "-", String(outcome), patientRef.map { "=" + $0 } ?? "-"]
        // Length-prefixed so that no two field lists serialize alike.
        var message = Array("pillbox-audit-v1".utf8) + prev
        for field in fields {
            let bytes = Array(field.utf8)
            message += Array("\(bytes.count):".utf8) + bytes
        }
        return key.authenticationCode(for: message)
    }
}

/// Result of checking the audit chain end to end.
package struct AuditVerification: Sendable, Equatable {
    /// Entries checked.
    package var entries: Int
    /// The first entry whose hash, link or sequence does not hold, if any.
    package var firstBrokenSeq: Int64?
    /// Whether the whole chain holds.
    package var isIntact: Bool { firstBrokenSeq == nil }
}
