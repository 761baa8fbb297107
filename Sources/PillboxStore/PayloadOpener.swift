import Foundation
import PillboxCrypto
import PillboxModel

/// Opens the payloads of one read: the store's sealer taken once, and one `AESGCMOpener` per
/// data key the payloads name, kept for the whole read (not a new OpenSSL context per
/// payload). An unknown key id or a payload that fails authentication (bound to its
/// `SealContext`: altered, or moved from another place) gives nil.
///
/// Not `Sendable`: make one inside a database read and drop it there.
final class PayloadOpener {
    let sealer: Sealer
    private var openers: [String: AESGCMOpener] = [:]

    init(sealer: Sealer) {
        self.sealer = sealer
    }

    /// Whether a payload stored with key id `keyID` names a data key of the store.
    func knows(keyID: String) -> Bool {
        sealer.knows(keyID: keyID)
    }

    /// The plaintext of `payload`, stored with key id `keyID`, or nil.
    func open(_ payload: Data, keyID: String, for context: SealContext) -> [UInt8]? {
        guard let opener = opener(keyID: keyID) else { return nil }
        let associatedData = context.associatedData(keyID: keyID)
        return payload.withUnsafeBytes { sealed in
            associatedData.withUnsafeBytes { aad in try? opener.open(sealed, associatedData: aad) }
        }
    }

    /// A JSON value opened as `open(_:keyID:for:)` does; nil also when it does not decode.
    func open<T: Decodable>(_ type: T.Type, from payload: Data, keyID: String, for context: SealContext) -> T? {
        open(payload, keyID: keyID, for: context).flatMap { try? JSONCoding.decoder.decode(type, from: Data($0)) }
    }

    private func opener(keyID: String) -> AESGCMOpener? {
        if let opener = openers[keyID] { return opener }
        guard let key = sealer.key(id: keyID), let opener = try? AESGCMOpener(key: key) else { return nil }
        openers[keyID] = opener
        return opener
    }
}
