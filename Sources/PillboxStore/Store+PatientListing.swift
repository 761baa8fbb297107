import Foundation
import GRDB
import Logging
import PillboxModel

/// A patient's listed dispenses, as the profile and the dispensing checks read them: current
/// versions, newest first, none entered in error, each flagged in its place when it fails its
/// integrity check (docs/performance.md, "one look-up per version").
extension Store {
    /// Joins each dispense row to its versions from the current one up
    /// (`v.version >= d.current_version`). One look-up of the version key finds the current
    /// version and shows whether a newer one exists (the row was pointed back): no second
    /// look-up for the newest version number. So a sound dispense gives one row, and a flagged
    /// one may give more: there is no LIMIT here, `patientListing` counts dispenses itself.
    /// Ties on the dispense time come in the order `dispense_by_patient` keeps them (status,
    /// current version, id), so SQLite reads that index backwards instead of sorting the rows,
    /// payloads included. Column positions: `ListingColumn`.
    static let patientListingSQL = currentVersionSelect + patientListingWhere

    /// Which dispense rows a listing reads, and in what order.
    private static let patientListingWhere = """

         WHERE d.patient_index = ? AND d.dispensed_at >= ? AND d.status != 'entered-in-error'
         ORDER BY d.dispensed_at DESC, d.status DESC, d.current_version DESC, d.id DESC
        """

    /// The rows of `patientListingSQL` without their sync states (`sync_state` is NULL): what
    /// the dispensing checks read. They need nothing of the outbox, and its entries are spread
    /// over its index in the order they came: one look-up fewer per fill.
    static let checkListingSQL = versionsSelect(syncState: "NULL") + patientListingWhere

    /// Dispense rows (alias `d`) each joined to its versions from the current one up, with
    /// their sync states; the reads of current versions add their own WHERE. Columns as
    /// `ListingColumn`.
    static let currentVersionSelect = versionsSelect(syncState: "o.state") + """

          LEFT JOIN outbox o INDEXED BY outbox_by_version ON o.dispense_id = d.id AND o.version = v.version
        """

    /// Dispense rows (alias `d`) each joined to its versions from the current one up, the
    /// column `sync_state` being `syncState`. Columns as `ListingColumn`.
    private static func versionsSelect(syncState: String) -> String {
        """
        SELECT d.id AS dispense_id, d.current_version AS version, d.dispensed_at,
               v.status, v.recorded_at, v.key_id, v.payload, \(syncState) AS sync_state, v.version AS found
          FROM dispense d
          LEFT JOIN dispense_version v ON v.patient_index = d.patient_index AND v.dispense_id = d.id
                                      AND v.version >= d.current_version
        """
    }

    /// Column positions of `patientListingSQL` and `checkListingSQL` (read by index: GRDB
    /// lower-cases a name on every look-up). `found` is the version the row was joined to: NULL
    /// when the current version does not exist.
    enum ListingColumn {
        static let id = 0, version = 1, dispensedAt = 2, status = 3, recordedAt = 4, keyID = 5, payload = 6, syncState = 7, found = 8
    }

    /// Reads at most `limit` of a patient's dispenses (`sql`: `patientListingSQL`, or
    /// `checkListingSQL` without sync states). Each is `entry` of
    /// its row, given its id and current version, once the row is known to hold that version
    /// and no newer one exists; `entry` opens and decodes, and throws where the row fails. A
    /// dispense that fails is `flag` of it, logged with its id and nothing of its content.
    static func patientListing<Entry>(
        _ db: Database, sql: String = patientListingSQL, keys: StoreKeys, nam: String, since: Date?, limit: Int,
        logger: Logger, entry: (Row, _ id: String, _ version: Int) throws(StoreError) -> Entry,
        flag: (UnreadableDispense) -> Entry
    ) throws -> (entries: [Entry], dispensedAt: [Double]) {
        // A cursor reads each row in place (fetchAll would copy every row, payload included).
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [
            keys.blindIndex("nam", nam), since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude,
        ])
        var entries: [Entry] = []
        var dispensedAt: [Double] = []
        entries.reserveCapacity(min(limit, 256))
        dispensedAt.reserveCapacity(min(limit, 256))
        // The dispense of the row before, and whether it is already flagged.
        var previous: (id: String, flagged: Bool)?
        func fail(_ error: StoreError, id: String, version: Int, at: Double) -> Entry {
            logIntegrityFailure(error, id: id, logger: logger)
            return flag(UnreadableDispense(id: id, version: version, dispensedAt: Date(timeIntervalSince1970: at)))
        }
        while let row = try rows.next() {
            let id: String = row[ListingColumn.id]
            let version: Int = row[ListingColumn.version]
            let at: Double = row[ListingColumn.dispensedAt]
            if let before = previous, before.id == id {
                // A second version from the current one up: a newer one exists.
                if !before.flagged {
                    entries[entries.count - 1] = fail(Self.notNewest(id, version), id: id, version: version, at: at)
                    previous = (id, true)
                }
                continue
            }
            guard entries.count < limit else { break }
            do throws(StoreError) {
                guard let found = row[ListingColumn.found] as Int? else {
                    throw StoreError(.integrity, "dispense \(id) points at version \(version), which does not exist; the row was altered")
                }
                guard found == version else { throw Self.notNewest(id, version) }
                entries.append(try entry(row, id, version))
                previous = (id, false)
            } catch {
                entries.append(fail(error, id: id, version: version, at: at))
                previous = (id, true)
            }
            dispensedAt.append(at)
        }
        return (entries, dispensedAt)
    }

    static func notNewest(_ id: String, _ version: Int) -> StoreError {
        StoreError(.integrity, "dispense \(id) points at version \(version), not its newest; the row was altered")
    }
}
