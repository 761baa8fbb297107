import Foundation
import PillboxCrypto

/// One request as the audit trail keeps it: who, what, on which record, with what outcome.
/// Never patient data in clear: a patient appears only as a keyed hash (`patientRef`).
public struct AuditEntry: Sendable, Equatable, Codable {
    /// Position in the chain, from 1.
    public var seq: Int64
    /// When the request was handled (seconds since 1970, UTC).
    public var at: Double
    public var uid: UInt32
    public var pid: Int32
    /// The caller's role, or `none` when refused for having none.
    public var role: String
    /// What was asked: method and route template, e.g. `POST /v1/dispenses`.
    public var action: String
    /// The dispense concerned, when there is one.
    public var dispenseID: String?
    /// The HTTP status the caller got.
    public var outcome: Int
    /// Keyed hash of the patient concerned, when there is one.
    public var patientRef: String?
    /// Hex hash of the previous entry (64 zeros for the first).
    public var prevHash: String
    /// Hex HMAC-SHA256 (audit key) over `prevHash` and this entry's fields.
    public var hash: String
}

/// An audit entry before it takes its place in the chain.
public struct AuditEvent: Sendable, Equatable {
    public var at: Date
    public var uid: UInt32
    public var pid: Int32
    public var role: String
    public var action: String
    public var dispenseID: String?
    public var outcome: Int
    /// The patient concerned (normalized NAM), turned into a keyed hash before storage.
    public var patientNAM: String?

    public init(at: Date, uid: UInt32, pid: Int32, role: String, action: String, dispenseID: String? = nil,
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
                     dispenseID: String?, outcome: Int, patientRef: String?, key: SecretKey) -> [UInt8] {
        // Present values are prefixed "=", absent ones are "-": no value can pass for absence.
        let fields = [String(seq), String(at.bitPattern), String(uid), String(pid), role, action,
                      dispenseID.map { "=" + $0 } ?? "-", String(outcome), patientRef.map { "=" + $0 } ?? "-"]
        // Length-prefixed so that no two field lists serialize alike.
        var message = Array("pillbox-audit-v1".utf8) + prev
        for field in fields {
            let bytes = Array(field.utf8)
            message += Array("\(bytes.count):".utf8) + bytes
        }
        return HMACSHA256.authenticationCode(for: message, key: key.bytes)
    }
}

/// Result of checking the audit chain end to end.
public struct AuditVerification: Sendable, Equatable {
    /// Entries checked.
    public var entries: Int
    /// The first entry whose hash, link or sequence does not hold, if any.
    public var firstBrokenSeq: Int64?
    /// Whether the whole chain holds.
    public var isIntact: Bool { firstBrokenSeq == nil }
}
