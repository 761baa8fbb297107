import Foundation
import PillboxCrypto
import PillboxModel

/// What is sealed in a version's payload: everything that may identify someone.
struct SealedContent: Codable, Sendable {
    var dispense: Dispense
    var reason: String?
}

/// Seals and opens version payloads. The associated data binds each ciphertext to its row
/// (dispense id, version, key id), so a payload copied onto another row fails to open.
enum RecordCipher {
    static func associatedData(dispenseID: String, version: Int, keyID: String) -> [UInt8] {
        Array("pillbox-dispense-v1|\(dispenseID)|\(version)|\(keyID)".utf8)
    }

    static func seal(_ content: SealedContent, key: SecretKey, keyID: String, dispenseID: String, version: Int) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plaintext = try encoder.encode(content)
        let sealed = try AESGCM.seal(Array(plaintext), key: key,
                                     associatedData: associatedData(dispenseID: dispenseID, version: version, keyID: keyID))
        return Data(sealed)
    }

    static func open(_ payload: Data, key: SecretKey, keyID: String, dispenseID: String, version: Int) throws(StoreError) -> SealedContent {
        do {
            let plaintext = try AESGCM.open(Array(payload), key: key,
                                            associatedData: associatedData(dispenseID: dispenseID, version: version, keyID: keyID))
            return try JSONDecoder().decode(SealedContent.self, from: Data(plaintext))
        } catch {
            throw StoreError(.integrity, "dispense \(dispenseID) version \(version) failed authentication; the row was altered or moved")
        }
    }
}
