import Foundation
import GRDB

/// The simulator's SQLite database: one connection owner, each method one transaction.
struct SimulatorStore: Sendable {
    private let queue: DatabaseQueue

    /// Opens (creating when missing) the database at `path` and migrates it.
    static func open(path: String) throws(SimulatorError) -> SimulatorStore {
        do {
            var configuration = Configuration()
            configuration.label = "pillbox-central-sim"
            configuration.busyMode = .timeout(5)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try migrator.migrate(queue)
            return SimulatorStore(queue: queue)
        } catch {
            throw SimulatorError(.database, "cannot open the database \(path): \(error)")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE dispense (
                    id TEXT PRIMARY KEY NOT NULL,
                    versionId INTEGER NOT NULL,
                    lastUpdatedMillis INTEGER NOT NULL,
                    subjectSystem TEXT NOT NULL,
                    subjectValue TEXT NOT NULL,
                    handedOverMillis INTEGER,
                    content BLOB NOT NULL,
                    json BLOB NOT NULL
                ) STRICT;
                CREATE INDEX dispenseBySubject
                    ON dispense (subjectSystem, subjectValue, handedOverMillis DESC, id);
                """)
        }
        return migrator
    }

    /// Runs `body` in one write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await queue.write(body)
        } catch {
            throw SimulatorError(.database, "write failed: \(error)")
        }
    }

    /// Runs `body` in one read transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await queue.read(body)
        } catch {
            throw SimulatorError(.database, "read failed: \(error)")
        }
    }
}
