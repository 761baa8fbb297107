import Foundation
import GRDB
import PillboxModel

extension Store {
    /// Every dispense of a patient, whatever its status (entered-in-error included), current
    /// versions, newest first; at most `limit` (the caller asks for one more to tell that
    /// there are more). Unreadable rows are flagged in their place, as in `profile`.
    package func patientRecord(nam: String, limit: Int) async throws -> DispenseListing {
        let (keys, logger) = (self.keys, self.logger)
        return try await read { db in
            let rows = try Row.fetchAll(db, sql: Self.listingSelect + """
                WHERE d.patient_index = ?
                ORDER BY d.dispensed_at DESC, d.id DESC
                LIMIT ?
                """, arguments: [keys.blindIndex("nam", nam), limit])
            return DispenseListing(entries: rows.map { row in Self.listed(row, keys: keys, logger: logger) })
        }
    }
}
