import Foundation
import GRDB
import GRDBSQLite

/// The current row of `Store.listingSelect`, read straight from SQLite while a cursor stands
/// on it: no `Row`, no generic column decoding, and the payload opened where SQLite holds it
/// (not copied into a `Data`). A listing reads 150–200 of these per request; GRDB's generic
/// decoding and the row copies were about a tenth of a profile's CPU (docs/performance.md).
///
/// Valid only until the cursor steps on: read what is needed, keep nothing of it.
struct ListingColumns {
    typealias C = Store.ListingColumn
    private let statement: SQLiteStatement

    init(_ statement: Statement) {
        self.statement = statement.sqliteStatement
    }

    var id: String { text(C.id) ?? "" }
    var version: Int { Int(sqlite3_column_int64(statement, Int32(C.version))) }
    var dispensedAt: Double { sqlite3_column_double(statement, Int32(C.dispensedAt)) }
    var status: String { text(C.status) ?? "" }
    var recordedAt: Double { sqlite3_column_double(statement, Int32(C.recordedAt)) }
    var keyID: String { text(C.keyID) ?? "" }
    var syncState: String? { text(C.syncState) }
    /// The newest version of the dispense, nil when it has none.
    var newest: Int? { isNull(C.newest) ? nil : Int(sqlite3_column_int64(statement, Int32(C.newest))) }
    /// Whether the row has no version (the left join found none).
    var payloadIsMissing: Bool { isNull(C.payload) }

    /// Calls `body` with the payload's bytes as SQLite holds them (empty for a zero-length blob).
    func withPayload<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        let count = Int(sqlite3_column_bytes(statement, Int32(C.payload)))
        guard count > 0, let base = sqlite3_column_blob(statement, Int32(C.payload)) else {
            return body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return body(UnsafeRawBufferPointer(start: base, count: count))
    }

    private func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL
    }

    private func text(_ index: Int) -> String? {
        guard let bytes = sqlite3_column_text(statement, Int32(index)) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, Int32(index)))),
                      as: UTF8.self)
    }
}
