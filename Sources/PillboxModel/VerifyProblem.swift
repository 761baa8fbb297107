/// One thing wrong that `pillbox verify` found in a data folder. It names the record (by its
/// random id), the outbox entry or the audit entry concerned, never patient data.
package struct VerifyProblem: Sendable, Equatable, Codable {
    /// What kind of problem this is.
    package enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        /// SQLite's `PRAGMA integrity_check` printed something other than `ok`, or SQLite could not
        /// read a table to the end (corrupt): the file itself is damaged.
        case sqlite
        /// The data folder's working keys are missing or do not open.
        case keys
        /// A version's sealed payload does not open under its key with its row binding (altered,
        /// moved or swapped), names an unknown key, or has an unknown status.
        case unreadableVersion = "unreadable-version"
        /// A version row whose dispense row is missing.
        case orphanVersion = "orphan-version"
        /// A version without its outbox row (each version is recorded with one).
        case missingOutbox = "missing-outbox"
        /// `dispense.current_version` points at a version that does not exist, is not the newest,
        /// or the versions are not numbered 1, 2, 3, … without gaps.
        case currentVersion = "current-version"
        /// `store_summary` (the status's count of dispenses, newest recording time, pending and
        /// failed uploads) differs from a count of the tables, or a trigger that keeps it is missing.
        case storeSummary = "store-summary"
        /// A blind index of the dispense row (`pharmacyDispenseId`, NAM, DIN, lot) does not match
        /// its current version's content.
        case blindIndex = "blind-index"
        /// Another clear column of the dispense row (`status`, `dispensed_at`) does not match its
        /// current version.
        case dispenseRow = "dispense-row"
        /// An outbox row that refers to a version that does not exist, or with an unknown state.
        case outbox
        /// A dead letter's sealed answer from the central record does not open.
        case unreadableOutcome = "unreadable-outcome"
        /// A cached central profile does not open.
        case unreadableProfile = "unreadable-profile"
        /// The audit chain does not hold at this entry: edited, removed or reordered entries.
        case auditChain = "audit-chain"
    }

    package var kind: Kind
    /// The dispense concerned (its random id), when there is one.
    package var recordId: String?
    /// The version concerned, when there is one.
    package var version: Int?
    /// The outbox entry concerned, when there is one.
    package var outboxSeq: Int64?
    /// The audit entry concerned, when there is one.
    package var auditSeq: Int64?
    /// What is wrong, in English, naming ids, versions and sequence numbers only.
    package var message: String

    package init(_ kind: Kind, recordId: String? = nil, version: Int? = nil, outboxSeq: Int64? = nil,
                 auditSeq: Int64? = nil, _ message: String) {
        self.kind = kind
        self.recordId = recordId
        self.version = version
        self.outboxSeq = outboxSeq
        self.auditSeq = auditSeq
        self.message = message
    }
}
