import Foundation
import GRDB
import Logging
import PillboxCrypto

/// What `Store.rewrapKeys` did.
package enum RewrapOutcome: Sendable, Equatable {
    /// Every working key is now wrapped under the new master key (`keys` rows rewritten).
    case rewrapped(keys: Int)
    /// The new master key already opens every working key (a rerun after a finished rewrap,
    /// or the same key given twice): nothing was changed.
    case alreadyDone
}

extension Store {
    /// Wraps every working key of the stopped data folder at `path` (data, index and audit
    /// keys, retired data keys included) under `newKey` instead of `currentKey`, in one
    /// transaction: after a crash the folder opens under exactly one of the two keys. The
    /// payloads are not touched (they are sealed under the working keys, which do not change).
    ///
    /// Call it only while holding the data folder's lock (no daemon running). Throws
    /// `.wrongKey`, changing nothing, when neither key opens the keys; `.integrity` when a
    /// newer Pillbox migrated the folder. `afterKey` (tests) runs after each key is rewritten,
    /// inside the transaction: throwing from it rolls everything back.
    package static func rewrapKeys(path: String, currentKey: SecretKey, newKey: SecretKey,
                                   afterKey: (Int) throws -> Void = { _ in }) throws(StoreError) -> RewrapOutcome {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.io, "no database at \(path); check the data folder")
        }
        // Refuses a newer schema and a key table neither key opens, before any write.
        let opensWithNew = (try? checkKey(path: path, masterKey: newKey)) != nil
        if opensWithNew { return .alreadyDone }
        try checkKey(path: path, masterKey: currentKey)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let count = try queue.write { db -> Int in
                let entries = try StoreKeys.loadExisting(db, master: currentKey)
                for (index, entry) in entries.enumerated() {
                    let wrapped = try KeyWrap.wrap(entry.key, with: newKey, label: "\(entry.purpose):\(entry.id)")
                    try db.execute(sql: "UPDATE key SET wrapped = ? WHERE id = ?", arguments: [Data(wrapped), entry.id])
                    try afterKey(index + 1)
                }
                return entries.count
            }
            try queue.close()
            try checkKey(path: path, masterKey: newKey)
            return .rewrapped(keys: count)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, "cannot rewrap the keys of \(path): \(describe(error)); nothing was changed")
        }
    }
}
