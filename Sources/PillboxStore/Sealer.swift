import Foundation
import PillboxCrypto
import PillboxModel

/// Seals and opens everything the store keeps encrypted: AES-256-GCM under the data key,
/// each payload bound to its place by `SealContext`. The one way the store seals.
///
/// It seals under one data key (`key`, `keyID`) and opens payloads stored under that key or
/// under any other data key of its keyring (retired keys whose payloads a rotation has not
/// re-encrypted yet): each payload names its key by the `key_id` stored beside it.
struct Sealer: Sendable {
    let key: SecretKey
    /// Id of the data key: stored beside each payload and part of its associated data.
    let keyID: String
    /// The other data keys payloads may name; nil: this key only.
    let keyring: DataKeyring?

    init(key: SecretKey, keyID: String, keyring: DataKeyring? = nil) {
        self.key = key
        self.keyID = keyID
        self.keyring = keyring
    }

    /// Seals raw bytes for `context`.
    func seal(_ plaintext: [UInt8], for context: SealContext) throws -> Data {
        Data(try AESGCM.seal(plaintext, key: key, associatedData: context.associatedData(keyID: keyID)))
    }

    /// Seals a value as sorted-keys JSON for `context`.
    func seal(json value: some Encodable, for context: SealContext) throws -> Data {
        try seal(Array(try JSONCoding.encoder.encode(value)), for: context)
    }

    /// Whether a payload stored with key id `keyID` names a data key this sealer can open.
    func knows(keyID: String) -> Bool {
        keyID == self.keyID || keyring?.key(id: keyID) != nil
    }

    /// The plaintext of a payload stored with key id `keyID`, or nil when no data key of
    /// this store has that id or the payload fails authentication (altered, or moved from
    /// another place). To open many payloads in one read, keep one `PayloadOpener` instead.
    func open(_ payload: Data, keyID: String, for context: SealContext) -> [UInt8]? {
        PayloadOpener(sealer: self).open(payload, keyID: keyID, for: context)
    }

    /// A JSON value opened as `open(_:keyID:for:)` does; nil also when it does not decode.
    func open<T: Decodable>(_ type: T.Type, from payload: Data, keyID: String, for context: SealContext) -> T? {
        PayloadOpener(sealer: self).open(type, from: payload, keyID: keyID, for: context)
    }

    /// The data key named `keyID`: this sealer's own, or one of its keyring.
    func key(id keyID: String) -> SecretKey? {
        keyID == self.keyID ? key : keyring?.key(id: keyID)
    }
}
