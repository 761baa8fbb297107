/// One request as the audit trail keeps it: who, what, on which record, with what outcome.
/// Never patient data in clear: a patient appears only as a keyed hash (`patientRef`).
package struct AuditEntry: Sendable, Equatable, Codable {
    /// Position in the chain, from 1.
    package var seq: Int64
    /// When the request was handled (seconds since 1970, UTC).
    package var at: Double
    package var uid: UInt32
    package var pid: Int32
    /// The caller's role, or `none` when refused for having none.
    package var role: String
    /// What was asked: method and route template, e.g. `POST /v1/dispenses`.
    package var action: String
    /// The dispense concerned, when there is one.
    package var dispenseID: String?
    /// The HTTP status the caller got.
    package var outcome: Int
    /// Keyed hash of the patient concerned, when there is one.
    package var patientRef: String?
    /// Hex hash of the previous entry (64 zeros for the first).
    package var prevHash: String
    /// Hex HMAC-SHA256 (audit key) over `prevHash` and this entry's fields.
    package var hash: String

    package init(seq: Int64, at: Double, uid: UInt32, pid: Int32, role: String, action: String, dispenseID: String?,
                outcome: Int, patientRef: String?, prevHash: String, hash: String) {
        self.seq = seq
        self.at = at
        self.uid = uid
        self.pid = pid
        self.role = role
        self.action = action
        self.dispenseID = dispenseID
        self.outcome = outcome
        self.patientRef = patientRef
        self.prevHash = prevHash
        self.hash = hash
    }
}
