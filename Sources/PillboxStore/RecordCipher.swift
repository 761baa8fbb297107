import Foundation
import PillboxCrypto
import PillboxModel

/// What is sealed in a version's payload: everything that may identify someone.
struct SealedContent: Codable, Sendable {
    var dispense: Dispense
    var reason: String?
}

/// Where a sealed payload belongs: the row's clear columns that the associated data binds,
/// so that a payload moved to another row, or a row whose status or time was edited, fails
/// to open.
struct RowBinding: Sendable {
    var dispenseID: String
    var version: Int
    var keyID: String
    var status: String
    var recordedAt: Double
}

/// Seals and opens version payloads, bound to their row (`RowBinding`).
enum RecordCipher {
    static func associatedData(_ row: RowBinding) -> [UInt8] {
        Array("pillbox-dispense-v2|\(row.dispenseID)|\(row.version)|\(row.keyID)|\(row.status)|\(row.recordedAt.bitPattern)".utf8)
    }

    static func seal(_ content: SealedContent, key: SecretKey, row: RowBinding) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plaintext = try encoder.encode(content)
        let sealed = try AESGCM.seal(Array(plaintext), key: key, associatedData: associatedData(row))
        return Data(sealed)
    }

    static func open(_ payload: Data, key: SecretKey, row: RowBinding) throws(StoreError) -> SealedContent {
        do {
            let plaintext = try AESGCM.open(Array(payload), key: key, associatedData: associatedData(row))
            return try JSONDecoder().decode(SealedContent.self, from: Data(plaintext))
        } catch {
            throw StoreError(.integrity,
                             "dispense \(row.dispenseID) version \(row.version) failed authentication; the row was altered or moved")
        }
    }
}
