import Foundation
import GRDB

/// One batch of a rotation, inside one write: re-encrypts up to `limit` payloads still under
/// a retired data key, table by table in `RotatedTable.all`'s order (versions, dead letters'
/// outcomes, cached central profiles), each in primary-key order from `cursor`. A payload is
/// opened under the key its row names and sealed again under the current key for the same
/// place (`SealContext`), and its row is updated only if it still names that key. A payload
/// that does not open is skipped (counted by the caller as unreadable) and keeps its key.
struct KeyRotationBatch {
    let db: Database
    let sealer: Sealer
    let retired: [String]
    var cursor: RotationCursor
    let limit: Int
    private(set) var rewritten = 0
    private var looked = 0

    init(db: Database, sealer: Sealer, retired: [String], cursor: RotationCursor, limit: Int) {
        self.db = db
        self.sealer = sealer
        self.retired = retired
        self.cursor = cursor
        self.limit = limit
    }

    mutating func run() throws {
        guard !retired.isEmpty else {
            cursor.table = RotatedTable.all.count
            return
        }
        while looked < limit && !cursor.isDone {
            let asked = limit - looked
            // Fewer rows than asked for: this table is done for this pass.
            if try rewrite(RotatedTable.all[cursor.table], asked) < asked {
                cursor.table += 1
                cursor.after = nil
            }
        }
    }

    /// Re-encrypts up to `asked` payloads of `table` after the cursor; returns the rows looked at.
    private mutating func rewrite(_ table: RotatedTable, _ asked: Int) throws -> Int {
        let key = table.primaryKey.joined(separator: ", ")
        var arguments = StatementArguments(retired)
        var after = ""
        if let last = cursor.after {
            after = "AND (\(key)) > (\(Self.placeholders(last.count)))"
            arguments += StatementArguments(last)
        }
        let columns = (table.primaryKey + table.contextColumns + [table.keyIDColumn, table.payloadColumn]).joined(separator: ", ")
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(columns) FROM \(table.name)
            WHERE \(table.keyIDColumn) IN (\(Self.placeholders(retired.count))) \(after)
            ORDER BY \(key) LIMIT ?
            """, arguments: arguments + [asked])
        let sameRow = table.primaryKey.map { "\($0) = ?" }.joined(separator: " AND ")
        let opener = PayloadOpener(sealer: sealer)
        for row in rows {
            let rowKey: [DatabaseValue] = table.primaryKey.map { row[$0] }
            let keyID: String = row[table.keyIDColumn]
            cursor.after = rowKey
            looked += 1
            let context = table.context(row)
            guard let payload: Data = row[table.payloadColumn],
                  let plain = opener.open(payload, keyID: keyID, for: context) else { continue }
            try db.execute(sql: """
                UPDATE \(table.name) SET \(table.keyIDColumn) = ?, \(table.payloadColumn) = ?
                WHERE \(sameRow) AND \(table.keyIDColumn) = ?
                """, arguments: [sealer.keyID, try sealer.seal(plain, for: context)] + StatementArguments(rowKey) + [keyID])
            rewritten += 1
            cursor.rewrittenThisPass += 1
        }
        return rows.count
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
