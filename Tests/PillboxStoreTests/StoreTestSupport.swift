import Foundation
import GRDB
import Logging
import PillboxCrypto
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport

/// Shared setup for store tests: a fixed clock, a test key, parsed sample bodies.
enum Fixture {
    /// The master key most tests open their store with.
    static let masterKey = try! SecretKey(bytes: Array(repeating: 0x42, count: 32))
    /// "Now" for every store call: 2026-12-01T12:00:00Z, after every sample hand-over.
    static let now = Date(timeIntervalSince1970: 1_796_126_400)
    static let logger = Logger(label: "pillbox.store.tests", factory: { _ in SwiftLogNoOpLogHandler() })
    static let parser = DispenseParser()

    /// Opens (creating) the store at `directory/pillbox.db`.
    static func open(_ directory: TemporaryDirectory, key: SecretKey = masterKey, logger: Logger = logger) throws -> Store {
        try Store.open(path: databasePath(directory), masterKey: key, logger: logger, now: now)
    }

    static func databasePath(_ directory: TemporaryDirectory) -> String { directory.file("pillbox.db") }

    /// A sample body, parsed the way the API parses it.
    static func dispense(_ body: [String: Any]) throws -> Dispense {
        try parser.dispense(from: JSONDecoder().decode(JSONValue.self, from: Samples.json(body)), now: now).get()
    }

    /// `Samples.dispense` parsed.
    static func dispense(id: String, nam: String = "TREM50020312", din: String = "02242903", lot: String? = "L123",
                         handedOver: String = "2026-11-20T10:00:00-05:00", note: String? = nil,
                         familyName: String = "Tremblay") throws -> Dispense {
        try dispense(Samples.dispense(id: id, nam: nam, din: din, lot: lot, handedOver: handedOver, note: note,
                                      familyName: familyName))
    }

    /// A correction of `body` with `reason`, parsed the way the API parses it.
    static func correction(_ body: [String: Any], reason: String) throws -> DispenseParser.Correction {
        var body = body
        body["reason"] = reason
        return try parser.correction(from: JSONDecoder().decode(JSONValue.self, from: Samples.json(body)), now: now).get()
    }

    /// A cancellation, parsed the way the API parses it.
    static func cancellation(_ status: String, reason: String) throws -> DispenseParser.Cancellation {
        try parser.cancellation(from: JSONDecoder().decode(JSONValue.self, from: Samples.json(["status": status, "reason": reason]))).get()
    }

    /// The audit of an intake request, as a dispensing client's would arrive (nothing learnt yet).
    static var intakeAudit: RequestAudit { RequestAudit(uid: 1000, pid: 4242, role: "dispenser", action: "dispense.create") }

    /// The audit of a change request.
    static var changeAudit: RequestAudit { RequestAudit(uid: 1000, pid: 4242, role: "dispenser", action: "dispense.change") }

    /// Records `dispense` and returns the created record; fails the test otherwise.
    static func create(_ store: Store, _ dispense: Dispense) async throws -> DispenseRecord {
        let result = try await store.recordDispense(dispense, now: now, audit: intakeAudit)
        guard case .created(let record) = result else { throw Unexpected(description: "expected .created, got \(result)") }
        return record
    }

    /// Runs `body` on the database file with a separate connection (the store must be closed
    /// or tolerate a second connection).
    static func withDatabase<T>(_ directory: TemporaryDirectory, _ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: databasePath(directory))
        defer { try? queue.close() }
        return try queue.write(body)
    }

    /// Overwrites the first page of `table`'s B-tree with 0xEE bytes, as a damaged disk would
    /// (the store closed): SQLite then reports `SQLITE_CORRUPT` for any read that reaches it.
    static func damageRootPage(_ directory: TemporaryDirectory, of table: String) throws {
        let (page, pageSize) = try withDatabase(directory) { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = ?", arguments: [table])!,
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: databasePath(directory)))
        try file.seek(toOffset: UInt64((page - 1) * pageSize))
        try file.write(contentsOf: Data(repeating: 0xEE, count: pageSize))
        try file.close()
    }
}

struct Unexpected: Error, CustomStringConvertible {
    let description: String
}

extension TemporaryDirectory {
    /// Every canary found in any file below the folder, as "file: canary" (for the no-plaintext tests).
    func canaryLeaks(_ canaries: [String]) throws -> [String] {
        var found: [String] = []
        for file in allFiles() {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            for canary in canaries where bytes.range(of: Data(canary.utf8)) != nil {
                found.append("\((file as NSString).lastPathComponent): \(canary)")
            }
        }
        return found
    }
}
