/// `GET /v1/audit`: audit entries in chain order, and the chain's check when asked for.
public struct AuditPage: Sendable, Equatable, Codable {
    public var entries: [Entry]
    /// Present with `verify=true`.
    public var chain: Chain?

    public init(entries: [Entry], chain: Chain?) {
        self.entries = entries
        self.chain = chain
    }

    /// One request as the audit trail keeps it. A patient appears only as a keyed hash.
    public struct Entry: Sendable, Equatable, Codable {
        /// Position in the chain, from 1.
        public var seq: Int64
        /// When the request was handled (seconds since 1970, UTC).
        public var at: Double
        public var uid: UInt32
        public var pid: Int32
        /// The caller's role, or `none`.
        public var role: String
        /// Method and route template, e.g. `POST /v1/dispenses`.
        public var action: String
        public var dispenseID: String?
        /// The HTTP status the caller got.
        public var outcome: Int
        /// Keyed hash of the patient concerned.
        public var patientRef: String?
        public var prevHash: String
        public var hash: String

        public init(seq: Int64, at: Double, uid: UInt32, pid: Int32, role: String, action: String, dispenseID: String?,
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
    public struct Chain: Sendable, Equatable, Codable {
        public var intact: Bool
        /// Entries checked.
        public var entries: Int
        public var firstBrokenSeq: Int64?

        public init(intact: Bool, entries: Int, firstBrokenSeq: Int64?) {
            self.intact = intact
            self.entries = entries
            self.firstBrokenSeq = firstBrokenSeq
        }
    }
}
