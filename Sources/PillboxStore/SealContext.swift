import Foundation
import PillboxModel

/// Where a sealed payload belongs. Its associated data binds the payload to that place (and to
/// the data key's id), so a payload moved to another row, or a row whose clear columns were
/// edited, fails to open.
///
/// The bytes are part of the on-disk format: stores written before stay readable only while
/// each case produces exactly the bytes it always did (`SealerTests` pins them).
enum SealContext: Sendable, Equatable {
    /// A version's payload, bound to its row's clear columns (`dispense_version`).
    case dispenseVersion(id: String, version: Int, status: String, recordedAt: Double)
    /// A dead letter's OperationOutcome, bound to its outbox entry (`outbox.error_payload`).
    case outboxOutcome(seq: Int64)
    /// A patient's cached central profile, bound to the patient's blind index (`central_profile`).
    case centralProfile(patientIndex: Data)

    /// The associated data for a payload sealed under the data key `keyID`.
    func associatedData(keyID: String) -> [UInt8] {
        switch self {
        case .dispenseVersion(let id, let version, let status, let recordedAt):
            // "pillbox-dispense-v2|id|version|keyID|status|bit pattern", written byte by byte:
            // every read opens one per row, and string interpolation cost a profile about 3%.
            Self.bytes(capacity: 48 + id.utf8.count + keyID.utf8.count + status.utf8.count) { out in
                out.append(contentsOf: "pillbox-dispense-v2|".utf8)
                out.append(contentsOf: id.utf8)
                out.append(UInt8(ascii: "|"))
                JSONBytes.appendInt(version, to: &out)
                out.append(UInt8(ascii: "|"))
                out.append(contentsOf: keyID.utf8)
                out.append(UInt8(ascii: "|"))
                out.append(contentsOf: status.utf8)
                out.append(UInt8(ascii: "|"))
                JSONBytes.appendDecimal(recordedAt.bitPattern, to: &out)
            }
        case .outboxOutcome(let seq):
            Array("pillbox-outcome-v1|\(seq)|\(keyID)".utf8)
        case .centralProfile(let index):
            Array("pillbox-central-profile-v1|".utf8) + Array(index) + Array("|\(keyID)".utf8)
        }
    }

    private static func bytes(capacity: Int, _ write: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        write(&out)
        return out
    }
}
