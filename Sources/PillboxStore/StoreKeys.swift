import Foundation
import GRDB
import PillboxCrypto

/// The working keys of a data folder, unwrapped with the master key at open.
struct StoreKeys: Sendable {
    /// Every data key of the data folder by id, and the one that seals new payloads.
    let dataKeys: DataKeyring
    /// The blind indexes' HMAC-SHA256, under the index key (separate from the data key),
    /// keyed once at open.
    let indexMAC: KeyedHMACSHA256
    /// The audit trail's HMAC-SHA256 (its patient references and its hash chain), under the
    /// audit key, keyed once at open.
    let auditMAC: KeyedHMACSHA256

    static let purposes = ["data", "index", "audit"]

    /// Seals under the current data key; opens payloads of every data key of the store.
    var sealer: Sealer { dataKeys.sealer }

    /// One row of table `key`, unwrapped.
    struct Entry: Sendable {
        var id: String
        var purpose: String
        var key: SecretKey
        var createdAt: Double
        /// When a rotation retired this data key (it no longer seals; nil: in use).
        var retiredAt: Double?
    }

    /// Unwraps every key in the data folder, oldest first. Throws `.wrongKey` when the
    /// master key does not unwrap them. Reads only.
    static func loadExisting(_ db: Database, master: SecretKey) throws -> [Entry] {
        // Stores migrated before v4-key-rotation have no `retired_at` (the v3 migration reads keys too).
        let retired = try db.columns(in: "key").contains { $0.name == "retired_at" } ? "retired_at" : "NULL"
        let rows = try Row.fetchAll(db, sql: "SELECT id, purpose, wrapped, created_at, \(retired) AS retired_at FROM key ORDER BY created_at, id")
        return try rows.map { row in
            let id: String = row["id"]
            let purpose: String = row["purpose"]
            let wrapped: [UInt8] = Array(row["wrapped"] as Data)
            do {
                return Entry(id: id, purpose: purpose, key: try KeyWrap.unwrap(wrapped, with: master, label: "\(purpose):\(id)"),
                             createdAt: row["created_at"], retiredAt: row["retired_at"])
            } catch {
                throw StoreError(.wrongKey,
                    "the master key (id \(master.keyID)) does not open this data folder's keys; "
                    + "start with the key this data folder was created with (or the key table was edited: restore from a backup)")
            }
        }
    }

    /// Loads the keys, creating the missing ones on first open.
    static func loadOrCreate(_ db: Database, master: SecretKey, now: Date) throws -> StoreKeys {
        var entries = try loadExisting(db, master: master)
        if entries.isEmpty, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense_version") ?? 0 > 0 {
            throw StoreError(.integrity, "the data folder holds records but no keys (the key table was emptied); "
                + "restore the data folder from a backup")
        }
        let present = Set(entries.map(\.purpose))
        if !entries.isEmpty && present != Set(purposes) {
            throw StoreError(.integrity, "the data folder's key table is incomplete (\(present.sorted().joined(separator: ", ")) "
                + "only); restore the data folder from a backup")
        }
        for purpose in purposes where !present.contains(purpose) {
            let (id, key) = try insertNewKey(db, purpose: purpose, master: master, now: now)
            entries.append(Entry(id: id, purpose: purpose, key: key, createdAt: now.timeIntervalSince1970, retiredAt: nil))
        }
        return try build(entries, master: master, rotationPending: rotationPending(db))
    }

    /// Creates a working key for `purpose`, stores it wrapped under `master`, and returns it.
    static func insertNewKey(_ db: Database, purpose: String, master: SecretKey, now: Date) throws -> (id: String, key: SecretKey) {
        let key = SecretKey.random()
        let id = "\(purpose)-\(Hex.encode(SecureRandom.bytes(8)))"
        let wrapped = try KeyWrap.wrap(key, with: master, label: "\(purpose):\(id)")
        try db.execute(sql: "INSERT INTO key (id, purpose, wrapped, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [id, purpose, Data(wrapped), now.timeIntervalSince1970])
        return (id, key)
    }

    /// The store's keys from the table's rows: one current data key (any others retired),
    /// one index key, one audit key; anything else is a damaged table.
    static func build(_ entries: [Entry], master: SecretKey, rotationPending: Bool) throws(StoreError) -> StoreKeys {
        let data = entries.filter { $0.purpose == "data" }
        let current = data.filter { $0.retiredAt == nil }
        let index = entries.filter { $0.purpose == "index" }
        let audit = entries.filter { $0.purpose == "audit" }
        guard current.count == 1, index.count == 1, audit.count == 1 else {
            throw StoreError(.integrity, "the data folder's key table holds \(current.count) current data keys, "
                + "\(index.count) index keys and \(audit.count) audit keys (1 each expected); restore the data folder from a backup")
        }
        let keyring = DataKeyring(currentID: current[0].id,
                                  keys: Dictionary(uniqueKeysWithValues: data.map { ($0.id, $0.key) }),
                                  master: master, rotationPending: rotationPending)
        return StoreKeys(dataKeys: keyring, indexMAC: KeyedHMACSHA256(key: index[0].key.bytes),
                         auditMAC: KeyedHMACSHA256(key: audit[0].key.bytes))
    }

    /// Whether the data folder records an unfinished rotation (table `key_rotation`).
    static func rotationPending(_ db: Database) throws -> Bool {
        guard try db.tableExists("key_rotation") else { return false }
        return try Bool.fetchOne(db, sql: "SELECT finished_at IS NULL FROM key_rotation WHERE id = 1") ?? false
    }

    /// Blind index of a value: HMAC-SHA256 under the index key, domain-separated by field.
    func blindIndex(_ field: String, _ value: String) -> Data {
        Data(indexMAC.authenticationCode(for: Array("\(field):\(value)".utf8)))
    }

    /// Blind index of a lot number, taken over its normalised form (`LotNumber.normalized`), so
    /// that "ab-123", "AB 123" and "AB123" find each other. The lot itself is stored as entered.
    func lotIndex(_ lot: String) -> Data {
        blindIndex("lot", LotNumber.normalized(lot))
    }

    /// The keys of a data folder that already has all of them, or nil (a new data folder).
    static func existing(_ db: Database, master: SecretKey) throws -> StoreKeys? {
        let entries = try loadExisting(db, master: master)
        guard Set(entries.map(\.purpose)) == Set(purposes) else { return nil }
        return try build(entries, master: master, rotationPending: rotationPending(db))
    }

    /// A stable, non-reversible reference to a patient for the audit trail.
    func patientReference(nam: String) -> String {
        Hex.encode(Array(auditMAC.authenticationCode(for: Array("patient:\(nam)".utf8)).prefix(16)))
    }
}
