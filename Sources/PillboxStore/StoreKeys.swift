import Foundation
import GRDB
import PillboxCrypto

/// The working keys of a data folder, unwrapped with the master key at open.
struct StoreKeys: Sendable {
    /// Seals record payloads, dead letters' outcomes and cached profiles under the data key.
    var sealer: Sealer
    /// Keys the blind indexes (HMAC-SHA256), separate from the data key.
    var indexKey: SecretKey
    /// Keys the patient references written to the audit trail.
    var auditKey: SecretKey

    static let purposes = ["data", "index", "audit"]

    /// Unwraps the keys already in the data folder, by purpose. Throws `.wrongKey` when the
    /// master key does not unwrap them. Reads only.
    static func loadExisting(_ db: Database, master: SecretKey) throws -> [String: (id: String, key: SecretKey)] {
        var keys: [String: (id: String, key: SecretKey)] = [:]
        let rows = try Row.fetchAll(db, sql: "SELECT id, purpose, wrapped FROM key ORDER BY created_at")
        for row in rows {
            let id: String = row["id"]
            let purpose: String = row["purpose"]
            let wrapped: [UInt8] = Array(row["wrapped"] as Data)
            do {
                keys[purpose] = (id, try KeyWrap.unwrap(wrapped, with: master, label: "\(purpose):\(id)"))
            } catch {
                throw StoreError(.wrongKey,
                    "the master key (id \(master.keyID)) does not open this data folder's keys; "
                    + "start with the key this data folder was created with (or the key table was edited: restore from a backup)")
            }
        }
        return keys
    }

    /// Loads the keys, creating the missing ones on first open.
    static func loadOrCreate(_ db: Database, master: SecretKey, now: Date) throws -> StoreKeys {
        var keys = try loadExisting(db, master: master)
        if keys.isEmpty, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense_version") ?? 0 > 0 {
            throw StoreError(.integrity, "the data folder holds records but no keys (the key table was emptied); "
                + "restore the data folder from a backup")
        }
        if !keys.isEmpty && keys.count != purposes.count {
            throw StoreError(.integrity, "the data folder's key table is incomplete (\(keys.keys.sorted().joined(separator: ", ")) "
                + "only); restore the data folder from a backup")
        }
        for purpose in purposes where keys[purpose] == nil {
            let key = SecretKey.random()
            let id = "\(purpose)-\(Hex.encode(SecureRandom.bytes(8)))"
            let wrapped = try KeyWrap.wrap(key, with: master, label: "\(purpose):\(id)")
            try db.execute(sql: "INSERT INTO key (id, purpose, wrapped, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [id, purpose, Data(wrapped), now.timeIntervalSince1970])
            keys[purpose] = (id, key)
        }
        return StoreKeys(sealer: Sealer(key: keys["data"]!.key, keyID: keys["data"]!.id),
                         indexKey: keys["index"]!.key, auditKey: keys["audit"]!.key)
    }

    /// Blind index of a value: HMAC-SHA256 under the index key, domain-separated by field.
    func blindIndex(_ field: String, _ value: String) -> Data {
        Data(HMACSHA256.authenticationCode(for: Array("\(field):\(value)".utf8), key: indexKey.bytes))
    }

    /// Blind index of a lot number, taken over its normalised form (`LotNumber.normalized`), so
    /// that "ab-123", "AB 123" and "AB123" find each other. The lot itself is stored as entered.
    func lotIndex(_ lot: String) -> Data {
        blindIndex("lot", LotNumber.normalized(lot))
    }

    /// The keys of a data folder that already has all of them, or nil (a new data folder).
    static func existing(_ db: Database, master: SecretKey) throws -> StoreKeys? {
        let keys = try loadExisting(db, master: master)
        guard let data = keys["data"], let index = keys["index"], let audit = keys["audit"] else { return nil }
        return StoreKeys(sealer: Sealer(key: data.key, keyID: data.id), indexKey: index.key, auditKey: audit.key)
    }

    /// A stable, non-reversible reference to a patient for the audit trail.
    func patientReference(nam: String) -> String {
        Hex.encode(Array(HMACSHA256.authenticationCode(for: Array("patient:\(nam)".utf8), key: auditKey.bytes).prefix(16)))
    }
}
