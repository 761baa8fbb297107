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
        key.authenticationCode(for: message(prev: prev, seq: seq, at: at, uid: uid, pid: pid, role: role, action: action,
                                            dispenseID: dispenseID, outcome: outcome, patientRef: patientRef))
    }

    /// `entry`'s hash recomputed from its fields, linked to `prev`.
    static func hash(of entry: AuditEntry, prev: [UInt8], key: KeyedHMACSHA256) -> [UInt8] {
        hash(prev: prev, seq: entry.seq, at: entry.at, uid: entry.uid, pid: entry.pid, role: entry.role, action: entry.action,
             dispenseID: entry.dispenseID, outcome: entry.outcome, patientRef: entry.patientRef, key: key)
    }

    /// `entry`'s hash when it holds in the chain: it is entry `seq`, it links to `previous`,
    /// and its stored hash is the one its fields give under `key`; nil otherwise.
    static func holding(_ entry: AuditEntry, seq: Int64, previous: [UInt8], key: KeyedHMACSHA256) -> [UInt8]? {
        let recomputed = hash(of: entry, prev: previous, key: key)
        guard entry.seq == seq, entry.prevHash == Hex.encode(previous), entry.hash == Hex.encode(recomputed) else { return nil }
        return recomputed
    }

    /// "pillbox-audit-v1", the previous hash, then each field as "length:bytes" (UTF-8; numbers
    /// in decimal, `at` as its bit pattern): length-prefixed so that no two field lists
    /// serialize alike. Present optionals are prefixed "=", absent ones are "-": no value can
    /// pass for absence. Written into one buffer: it was built from nine strings, each turned
    /// into an array with its length (about 10,000 instructions an entry); `AuditChainTests`
    /// holds the bytes the same.
    static func message(prev: [UInt8], seq: Int64, at: Double, uid: UInt32, pid: Int32, role: String, action: String,
                        dispenseID: String?, outcome: Int, patientRef: String?) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(prev.count + role.utf8.count + action.utf8.count + (dispenseID?.utf8.count ?? 0)
                                + (patientRef?.utf8.count ?? 0) + 140)
        message.append(contentsOf: "pillbox-audit-v1".utf8)
        message.append(contentsOf: prev)
        func text(_ utf8: String.UTF8View, after prefix: UInt8? = nil) {
            JSONBytes.appendDecimal(UInt64(utf8.count + (prefix == nil ? 0 : 1)), to: &message)
            message.append(UInt8(ascii: ":"))
            if let prefix { message.append(prefix) }
            message.append(contentsOf: utf8)
        }
        func number(_ value: some BinaryInteger) { text(String(value).utf8) }
        func optional(_ value: String?) {
            guard let value else { return text("-".utf8) }
            text(value.utf8, after: UInt8(ascii: "="))
        }
        number(seq)
        number(at.bitPattern)
        number(uid)
        number(pid)
        text(role.utf8)
        text(action.utf8)
        optional(dispenseID)
        number(outcome)
        optional(patientRef)
        return message
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
