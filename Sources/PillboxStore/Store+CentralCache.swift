import Foundation
import GRDB

extension Store {
    /// Keeps a patient's central profile (opaque JSON bytes) sealed at rest.
    package func cacheCentralProfile(nam: String, payload: Data, fetchedAt: Date) async throws {
        let keys = self.keys
        try await write { db in
            let index = keys.blindIndex("nam", nam)
            let sealed = try keys.sealer.seal(Array(payload), for: .centralProfile(patientIndex: index))
            try db.execute(sql: """
                INSERT INTO central_profile (patient_index, fetched_at, key_id, payload) VALUES (?, ?, ?, ?)
                ON CONFLICT(patient_index) DO UPDATE SET fetched_at = excluded.fetched_at, key_id = excluded.key_id,
                                                         payload = excluded.payload
                """, arguments: [index, fetchedAt.timeIntervalSince1970, keys.sealer.keyID, sealed])
        }
    }

    /// Rewrites a patient's cached central profile in a newer format, only if it is still the
    /// one fetched at `fetchedAt` (a fresher fetch written meanwhile is kept). True when rewritten.
    @discardableResult
    package func upgradeCentralProfile(nam: String, payload: Data, ifFetchedAt fetchedAt: Date) async throws -> Bool {
        let keys = self.keys
        return try await write { db in
            let index = keys.blindIndex("nam", nam)
            let sealed = try keys.sealer.seal(Array(payload), for: .centralProfile(patientIndex: index))
            try db.execute(sql: """
                UPDATE central_profile SET key_id = ?, payload = ? WHERE patient_index = ? AND fetched_at = ?
                """, arguments: [keys.sealer.keyID, sealed, index, fetchedAt.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    /// The cached central profile of a patient and when it was fetched, if any.
    package func cachedCentralProfile(nam: String) async throws -> (payload: Data, fetchedAt: Date)? {
        let keys = self.keys
        return try shortRead { db in
            let index = keys.blindIndex("nam", nam)
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM central_profile WHERE patient_index = ?"), arguments: [index]) else {
                return nil
            }
            guard let plain = keys.sealer.open(row["payload"], keyID: row["key_id"], for: .centralProfile(patientIndex: index)) else {
                throw StoreError(.integrity, "a cached central profile failed authentication")
            }
            return (Data(plain), Date(timeIntervalSince1970: row["fetched_at"]))
        }
    }

    /// When each patient's central profile was last fetched, for the patients dispensed to
    /// since `since` (most recent first, at most `limit`). NAMs are only recoverable by
    /// opening the sealed versions, which this does.
    package func recentPatients(since: Date, limit: Int) async throws -> [(nam: String, fetchedAt: Date?)] {
        let keys = self.keys
        return try await read { db in
            let rows = try Row.fetchAll(db, sql: Self.currentSelect + """
                 WHERE v.version = d2.current_version AND d2.dispensed_at >= ?
                 ORDER BY d2.dispensed_at DESC
                """, arguments: [since.timeIntervalSince1970])
            var seen = Set<String>()
            var result: [(nam: String, fetchedAt: Date?)] = []
            for row in rows where result.count < limit {
                let nam = try Self.currentRecord(from: row, keys: keys).dispense.patient.nam
                guard seen.insert(nam).inserted else { continue }
                let fetched = try Double.fetchOne(db, sql: "SELECT fetched_at FROM central_profile WHERE patient_index = ?",
                                                  arguments: [keys.blindIndex("nam", nam)])
                result.append((nam, fetched.map(Date.init(timeIntervalSince1970:))))
            }
            return result
        }
    }
}
