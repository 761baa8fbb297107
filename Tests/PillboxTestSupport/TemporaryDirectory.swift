import Foundation
import PillboxCrypto

/// A fresh folder under /tmp, short enough for Unix socket paths (107 bytes), removed by
/// `remove()`.
package struct TemporaryDirectory: Sendable {
    package let path: String

    package init(mode: Int = 0o700) throws {
        path = "/tmp/pbt-" + Hex.encode(SecureRandom.bytes(6))
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: mode])
    }

    /// `path/name`.
    package func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    package func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every regular file below the folder, recursively.
    package func allFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = file(name)
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }
}

/// Writes master key files for tests.
package enum TestKeys {
    /// Writes `key` as 64 hex characters and a newline, mode 0600, and returns the path.
    @discardableResult
    package static func write(_ key: SecretKey, to path: String, mode: Int = 0o600) throws -> String {
        _ = FileManager.default.createFile(atPath: path, contents: Data((Hex.encode(key.bytes) + "\n").utf8),
                                       attributes: [.posixPermissions: mode])
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }
}

/// Sample dispenses as the JSON a dispensing program sends.
package enum Samples {
    /// A complete, valid dispense body. `id` becomes the pharmacyDispenseId.
    package static func dispense(id: String, nam: String = "TREM50020312", din: String = "02242903",
                                lot: String? = "L123", handedOver: String = "2026-11-20T10:00:00-05:00",
                                note: String? = nil, familyName: String = "Tremblay") -> [String: Any] {
        var body: [String: Any] = [
            "pharmacyDispenseId": id,
            "patient": ["nam": nam, "familyName": familyName, "givenName": "Marie", "birthDate": "1950-02-03"],
            "medication": ["din": din, "display": "Metformin 500 mg tablet", "strength": "500 mg", "form": "tablet"],
            "quantity": ["value": 60, "unit": "tablet"],
            "daysSupply": 30,
            "dosageText": "1 tablet twice daily with meals",
            "prescriber": ["license": "1234567", "familyName": "Gagnon", "givenName": "Luc"],
            "pharmacist": ["license": "PH-998"],
            "prescriptionId": "RX-\(id)",
            "whenHandedOver": handedOver,
        ]
        if let lot { body["lot"] = lot }
        if let note { body["note"] = note }
        return body
    }

    package static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
