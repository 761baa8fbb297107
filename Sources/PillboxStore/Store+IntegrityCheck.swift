import GRDB

extension Store {
    /// Runs SQLite's `PRAGMA integrity_check` on the database file at `path` through a
    /// read-only connection of its own, and returns what it printed: `["ok"]` when the file is
    /// sound, else one line per problem (page and index numbers, no content). Safe while the
    /// daemon runs (a WAL reader); used by the crash-loop drill.
    package static func integrityCheck(path: String) throws(StoreError) -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            throw StoreError(.io, "cannot check the database at \(path): \(describe(error))")
        }
    }
}
