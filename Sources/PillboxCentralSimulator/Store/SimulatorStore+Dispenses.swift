import Foundation
import GRDB

/// What storing one entry did.
enum WriteOutcome: Sendable, Equatable {
    /// A new resource, version 1.
    case created(StoredResource)
    /// A new version of an existing resource.
    case updated(StoredResource)
    /// Same content as stored (ignoring `meta`): nothing changed.
    case unchanged(StoredResource)

    /// The resource as stored after the entry.
    var resource: StoredResource {
        switch self {
        case .created(let resource), .updated(let resource), .unchanged(let resource): resource
        }
    }
}

extension SimulatorStore {
    /// Stores `entries` in order, in one transaction, all with `lastUpdated` = `now`.
    func store(_ entries: [IncomingDispense], now: Date) async throws -> [WriteOutcome] {
        let now = FHIRDateTime.truncatedToMillis(now)
        return try await write { db in
            try entries.map { try Self.store($0, now: now, db: db) }
        }
    }

    private static func store(_ entry: IncomingDispense, now: Date, db: Database) throws -> WriteOutcome {
        let content = entry.resource.removing("meta").encoded()
        let existing = try Row.fetchOne(
            db, sql: "SELECT versionId, lastUpdatedMillis, content, json FROM dispense WHERE id = ?",
            arguments: [entry.id])
        if let existing {
            let storedContent: Data = existing["content"]
            if storedContent == content {
                let millis: Int64 = existing["lastUpdatedMillis"]
                return .unchanged(StoredResource(
                    id: entry.id, versionId: existing["versionId"],
                    lastUpdated: Date(timeIntervalSince1970: Double(millis) / 1000), json: existing["json"]))
            }
        }
        let version = (existing.map { $0["versionId"] as Int } ?? 0) + 1
        var meta = entry.resource["meta"]?.objectValue ?? [:]
        meta["versionId"] = .string(String(version))
        meta["lastUpdated"] = .string(FHIRDateTime.instant(now))
        let json = entry.resource.setting("meta", to: .object(meta)).encoded()
        let millis = Int64((now.timeIntervalSince1970 * 1000).rounded())
        try db.execute(
            sql: """
                INSERT INTO dispense (id, versionId, lastUpdatedMillis, subjectSystem, subjectValue, handedOverMillis,
                                      content, json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET versionId = excluded.versionId,
                    lastUpdatedMillis = excluded.lastUpdatedMillis, subjectSystem = excluded.subjectSystem,
                    subjectValue = excluded.subjectValue, handedOverMillis = excluded.handedOverMillis,
                    content = excluded.content, json = excluded.json
                """,
            arguments: [entry.id, version, millis, entry.subjectSystem, entry.subjectValue, entry.handedOverMillis,
                        content, json])
        let stored = StoredResource(id: entry.id, versionId: version, lastUpdated: now, json: json)
        return existing == nil ? .created(stored) : .updated(stored)
    }

    /// The resource with `id`, if stored.
    func resource(id: String) async throws -> StoredResource? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT id, versionId, lastUpdatedMillis, json FROM dispense WHERE id = ?",
                             arguments: [id]).map(Self.storedResource)
        }
    }

    /// Every stored resource, by id.
    func allResources() async throws -> [StoredResource] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, versionId, lastUpdatedMillis, json FROM dispense ORDER BY id")
                .map(Self.storedResource)
        }
    }

    /// How many resources are stored.
    func count() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dispense") ?? 0 }
    }

    /// Deletes every resource.
    func deleteAll() async throws {
        try await write { db in try db.execute(sql: "DELETE FROM dispense") }
    }

    static func storedResource(_ row: Row) -> StoredResource {
        let millis: Int64 = row["lastUpdatedMillis"]
        return StoredResource(id: row["id"], versionId: row["versionId"],
                              lastUpdated: Date(timeIntervalSince1970: Double(millis) / 1000), json: row["json"])
    }
}
