/// `GET /v1/audit`: audit entries in chain order, and the chain's check when asked for.
package struct AuditPage: Sendable, Equatable, Codable {
    package var entries: [Entry]
    /// Present with `verify=true`.
    package var chain: Chain?

    package init(entries: [Entry], chain: Chain?) {
        self.entries = entries
        self.chain = chain
    }

    /// One request as the audit trail keeps it. A patient appears only as a keyed hash.
    package struct Entry: Sendable, Equatable, Codable {
        /// Position in the chain, from 1.
        package var seq: Int64
        /// When the request was handled (seconds since 1970, UTC).
        package var at: Double
        package var uid: UInt32
        package var pid: Int32
        /// The caller's role, or `none`.
        package var role: String
        /// Method and route template, e.g. `POST /v1/dispenses`.
        package var action: String
        package var dispenseID: String?
        /// The HTTP status the caller got.
        package var outcome: Int
        /// Keyed hash of the patient concerned.
        package var patientRef: String?
        package var prevHash: String
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

    /// The result of checking the whole chain.
    package struct Chain: Sendable, Equatable, Codable {
        package var intact: Bool
        /// Entries checked.
        package var entries: Int
        package var firstBrokenSeq: Int64?

        package init(intact: Bool, entries: Int, firstBrokenSeq: Int64?) {
            self.intact = intact
            self.entries = entries
            self.firstBrokenSeq = firstBrokenSeq
        }
    }
}
