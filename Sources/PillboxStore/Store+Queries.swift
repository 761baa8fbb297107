import Foundation
import GRDB
import Logging
import PillboxModel

/// A page of recall results.
package struct RecallPage: Sendable, Equatable {
    /// Newest dispense time first; a row that failed its integrity check is flagged in its place.
    package var entries: [ListedDispense]
    /// The entries that could be read, in order.
    package var records: [DispenseRecord] { entries.compactMap(\.record) }
    /// Pass back as `cursor` for the next page; nil on the last page.
    package var nextCursor: String?
}

/// What a recall look-up asks for.
package struct RecallQuery: Sendable, Equatable {
    package var din: String
    package var lot: String?
    package var from: Date?
    /// Exclusive upper bound.
    package var to: Date?
    package var limit: Int
    package var cursor: String?

    package init(din: String, lot: String? = nil, from: Date? = nil, to: Date? = nil, limit: Int, cursor: String? = nil) {
        self.din = din
        self.lot = lot
        self.from = from
        self.to = to
        self.limit = limit
        self.cursor = cursor
    }
}

extension Store {
    /// The current version of a dispense, or nil.
    package func dispense(id: String) async throws -> DispenseRecord? {
        let keys = self.keys
        return try await loggingIntegrity(id: id) { try shortRead { db in try Self.fetchCurrent(db, keys: keys, id: id) } }
    }

    /// Every version of a dispense, oldest first (empty if there is no such dispense).
    package func history(id: String) async throws -> [DispenseRecord] {
        let keys = self.keys
        return try await loggingIntegrity(id: id) {
            try shortRead { db in
                let rows = try Row.fetchAll(db.cachedStatement(sql: Self.versionSelect + " WHERE d2.id = ? ORDER BY v.version"),
                                            arguments: [id])
                let opener = PayloadOpener(sealer: keys.sealer)
                return try rows.map { row throws(StoreError) in try Self.record(from: row, opener: opener) }
            }
        }
    }

    /// A patient's dispenses (current versions), newest first, leaving out those entered in
    /// error. `since` bounds the dispense time from below. A row that fails its integrity
    /// check is flagged in its place (and logged with its id) instead of failing the profile.
    package func profile(nam: String, since: Date?, limit: Int) async throws -> DispenseListing {
        let (keys, logger) = (self.keys, self.logger)
        return try shortRead { db in
            let opener = PayloadOpener(sealer: keys.sealer)
            let listing = try Self.patientListing(db, keys: keys, nam: nam, since: since, limit: limit, logger: logger,
                                                  entry: { row, _, _ throws(StoreError) in .record(try Self.record(from: row, opener: opener)) },
                                                  flag: ListedDispense.unreadable)
            return DispenseListing(entries: listing.entries, dispensedAt: listing.dispensedAt.map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// Which fills of a product (optionally one lot) fall in a period: current versions,
    /// newest first, paged by an opaque cursor. Unreadable rows are flagged, as in `profile`.
    package func recall(_ query: RecallQuery) async throws -> RecallPage {
        let (keys, logger) = (self.keys, self.logger)
        var after: (at: Double, id: String)?
        if let cursor = query.cursor {
            guard let decoded = RecallCursor.decode(cursor) else {
                throw StoreError(.invalidCursor, "the cursor is not one this server issued; start again without cursor")
            }
            after = decoded
        }
        let bound = after
        return try await read { db in
            var sql = Self.listingSelect + """
                WHERE d.din_index = ? AND d.dispensed_at >= ? AND d.dispensed_at < ? AND d.status != 'entered-in-error'
                """
            var arguments: StatementArguments = [
                keys.blindIndex("din", query.din),
                query.from?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude,
                query.to?.timeIntervalSince1970 ?? Double.greatestFiniteMagnitude,
            ]
            if let lot = query.lot {
                sql += " AND d.lot_index = ?"
                arguments += [keys.lotIndex(lot)]
            }
            if let bound {
                sql += " AND (d.dispensed_at < ? OR (d.dispensed_at = ? AND d.id < ?))"
                arguments += [bound.at, bound.at, bound.id]
            }
            sql += " ORDER BY d.dispensed_at DESC, d.id DESC LIMIT ?"
            arguments += [query.limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let page = Array(rows.prefix(query.limit))
            let entries = page.map { row in Self.listed(row, keys: keys, logger: logger) }
            var next: String?
            if rows.count > query.limit, let last = page.last {
                next = RecallCursor.encode(at: last["dispensed_at"], id: last["dispense_id"])
            }
            return RecallPage(entries: entries, nextCursor: next)
        }
    }

    static let versionColumns = """
        v.dispense_id, v.version, v.status, v.recorded_at, v.key_id, v.payload,
               o.state AS sync_state, d2.dispensed_at
        """
    /// From the dispense row (alias `d2`) to its versions: they are filed under its patient
    /// (`Schema.fileVersionsByPatient`), so every read of a version by id goes through it.
    /// Filter on `d2.id`, never on `v.dispense_id` alone (that would read the whole table).
    /// `outbox_by_version` holds the sync state: the look-up reads no outbox row (SQLite
    /// would pick the unique index that does, hence `INDEXED BY`).
    static let versionTables = """
          FROM dispense d2
          JOIN dispense_version v ON v.patient_index = d2.patient_index AND v.dispense_id = d2.id
          LEFT JOIN outbox o INDEXED BY outbox_by_version ON o.dispense_id = v.dispense_id AND o.version = v.version
        """
    /// Any version of a dispense.
    static let versionSelect = "SELECT \(versionColumns)\n\(versionTables)"
    /// Current versions, with the newest version number recorded for the dispense, so that
    /// `currentRecord(from:keys:)` can refuse a `current_version` pointed back at an older one.
    static let currentSelect = """
        SELECT \(versionColumns),
               \(newestVersion(of: "d2")) AS newest
        \(versionTables)
        """

    /// The newest version number recorded for the dispense row aliased `alias` (its versions
    /// are filed under its patient), for the current-version checks.
    static func newestVersion(of alias: String) -> String {
        "(SELECT MAX(n.version) FROM dispense_version n WHERE n.patient_index = \(alias).patient_index AND n.dispense_id = \(alias).id)"
    }

    /// A dispense's current version by its id, in one statement (`currentVersionSelect`: one
    /// row when sound, one more for each newer version).
    static let currentByIDSQL = currentVersionSelect + " WHERE d.id = ? LIMIT 2"

    /// The row of dispense `id`'s current version (`currentByIDSQL`), or nil when there is no
    /// such dispense; refused when that version does not exist or a newer one does.
    static func currentRow(_ db: Database, id: String) throws -> Row? {
        let rows = try Row.fetchAll(db.cachedStatement(sql: currentByIDSQL), arguments: [id])
        guard let row = rows.first else { return nil }
        let version: Int = row[ListingColumn.version]
        guard let found = row[ListingColumn.found] as Int? else {
            throw StoreError(.integrity, "dispense \(id) points at version \(version), which does not exist; the row was altered")
        }
        guard found == version, rows.count == 1 else { throw notNewest(id, version) }
        return row
    }

    /// Current versions for listings, starting from the `dispense` rows (alias `d`) so that a
    /// row whose `current_version` points at a missing version is still listed (and flagged),
    /// not silently left out.
    static let listingSelect = """
        SELECT d.id AS dispense_id, d.current_version AS version, d.dispensed_at,
               v.status, v.recorded_at, v.key_id, v.payload, o.state AS sync_state,
               \(newestVersion(of: "d")) AS newest
          FROM dispense d
          LEFT JOIN dispense_version v ON v.patient_index = d.patient_index AND v.dispense_id = d.id AND v.version = d.current_version
          LEFT JOIN outbox o INDEXED BY outbox_by_version ON o.dispense_id = d.id AND o.version = d.current_version

        """

    /// A listing row: its record, or, when it fails its integrity check, a flag naming it. The
    /// failure is logged with the record id and version, never the content.
    static func listed(_ row: Row, keys: StoreKeys, logger: Logger) -> ListedDispense {
        let id: String = row["dispense_id"]
        let version: Int = row["version"]
        do throws(StoreError) {
            guard !(row["payload"] as DatabaseValue).isNull else {
                throw StoreError(.integrity, "dispense \(id) points at version \(version), which does not exist; the row was altered")
            }
            return .record(try currentRecord(from: row, keys: keys))
        } catch {
            logIntegrityFailure(error, id: id, logger: logger)
            return .unreadable(UnreadableDispense(id: id, version: version,
                                                  dispensedAt: Date(timeIntervalSince1970: row["dispensed_at"])))
        }
    }

    /// Logs an integrity failure with the record id: the message names ids and versions only.
    static func logIntegrityFailure(_ error: StoreError, id: String, logger: Logger) {
        logger.error("Stored dispense failed its integrity check", metadata: [
            "dispense.id": .string(id), "error.code": .string(error.code.rawValue), "error.detail": .string(error.message),
        ])
    }

    /// Runs a read of one dispense, logging an integrity failure with its record id.
    func loggingIntegrity<T>(id: String, _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as StoreError where error.code == .integrity {
            Self.logIntegrityFailure(error, id: id, logger: logger)
            throw error
        }
    }

    /// A current version, refused when it is not the newest version of its dispense.
    static func currentRecord(from row: Row, keys: StoreKeys) throws(StoreError) -> DispenseRecord {
        let version: Int = row["version"]
        guard version == row["newest"] else {
            let id: String = row["dispense_id"]
            throw StoreError(.integrity, "dispense \(id) points at version \(version), not its newest; the row was altered")
        }
        return try record(from: row, keys: keys)
    }

    static func fetchCurrent(_ db: Database, keys: StoreKeys, id: String) throws -> DispenseRecord? {
        try currentRow(db, id: id).map { row throws(StoreError) in try record(from: row, keys: keys) }
    }

    static func fetchVersion(_ db: Database, keys: StoreKeys, id: String, version: Int) throws -> DispenseRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: versionSelect + " WHERE d2.id = ? AND v.version = ?"),
                                         arguments: [id, version]) else { return nil }
        return try record(from: row, keys: keys)
    }

    static func record(from row: Row, keys: StoreKeys) throws(StoreError) -> DispenseRecord {
        try record(from: row, opener: PayloadOpener(sealer: keys.sealer))
    }

    /// `record(from:keys:)` with the payload opened by `opener`, for reads of many versions.
    static func record(from row: Row, opener: PayloadOpener) throws(StoreError) -> DispenseRecord {
        let id: String = row["dispense_id"]
        let version: Int = row["version"]
        let keyID: String = row["key_id"]
        guard opener.knows(keyID: keyID) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) names an unknown data key")
        }
        let statusText: String = row["status"]
        let recordedAt: Double = row["recorded_at"]
        guard let content = opener.open(SealedContent.self, from: row["payload"], keyID: keyID, for: .dispenseVersion(
            id: id, version: version, status: statusText, recordedAt: recordedAt)) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) failed authentication; the row was altered or moved")
        }
        // A version without an outbox entry (none is ever removed) reads as pending.
        let syncText: String = row["sync_state"] ?? SyncState.pending.rawValue
        guard let status = DispenseStatus(rawValue: statusText), let sync = SyncState(rawValue: syncText) else {
            throw StoreError(.integrity, "dispense \(id) version \(version) has an unknown status or sync state")
        }
        return DispenseRecord(
            id: id, version: version, status: status,
            recordedAt: Timestamps.format(Date(timeIntervalSince1970: recordedAt)),
            reason: content.reason, sync: .init(state: sync), dispense: content.dispense)
    }
}

/// The recall cursor: the sort key of the last row returned, base64url-encoded. It holds
/// only a timestamp and a random id, nothing identifying.
enum RecallCursor {
    static func encode(at: Double, id: String) -> String {
        Data("\(at.bitPattern):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> (at: Double, id: String)? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let bits = UInt64(parts[0]) else { return nil }
        return (Double(bitPattern: bits), String(parts[1]))
    }
}
