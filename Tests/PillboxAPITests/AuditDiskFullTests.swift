import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// `GET /v1/audit` answered 503 on a full disk: it appends the entries queued in memory
/// before reading, and that append failed. Reads go on on a full disk (docs/storage.md), so
/// reading the audit must too. The disk is made full for real SQLite: `PRAGMA max_page_count`
/// on the store's writer connection makes every append that needs a new page fail with
/// `SQLITE_FULL`, the code ENOSPC gives (the real tmpfs is in StorageHealthEndToEndTests).
@Suite("Reading the audit on a full disk")
struct AuditDiskFullTests {
    /// Caps the database at its current size (`full`), or lifts the cap.
    static func setFull(_ store: Store, _ full: Bool) async throws {
        try await store.pool.write { db in
            let pages = full ? try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 : 1_073_741_823
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
    }

    @Test("On a full disk the audit reads 200 with the committed entries and says how many wait; writes are 503 disk-full; once space is back every waiting entry, the audit reads' own included, is in the chain")
    func auditReadsOnAFullDisk() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let created = try await client.post("/v1/dispenses", Samples.dispense(id: "AUD-first"))
            let id = try #require(created.json["id"] as? String)
            let first = try await client.get("/v1/audit")
            #expect(first.status == .ok)
            let committed = try #require(first.json["entries"] as? [[String: Any]])
            #expect(committed.map { $0["action"] as? String } == ["POST /v1/dispenses"])
            #expect(first.json["queuedEntries"] == nil)

            try await Self.setFull(harness.store, true)
            // Writes that still fit in the file's free pages commit; the first that needs a new page is refused.
            var accepted = 0
            var refused: TestResponse?
            for n in 0..<100 {
                let response = try await client.post("/v1/dispenses", Samples.dispense(id: "AUD-\(n)"))
                if response.status != .created { refused = response; break }
                accepted += 1
            }
            let refusal = try #require(refused, "no write was refused with the database capped at its size")
            #expect(refusal.status == .serviceUnavailable)
            #expect(refusal.json["type"] as? String == "https://pillbox.local/problems/disk-full")
            let reads = 200
            for _ in 0..<reads { #expect(try await client.get("/v1/dispenses/\(id)").status == .ok) }

            // Queued: the first audit read, the refused write (its write failed), the 200 reads.
            let full = try await client.get("/v1/audit?verify=true")
            #expect(full.status == .ok)
            #expect((full.json["entries"] as? [[String: Any]])?.count == 1 + accepted)
            #expect(full.json["queuedEntries"] as? Int == 1 + 1 + reads)
            #expect((full.json["chain"] as? [String: Any])?["intact"] as? Bool == true)
            let again = try await client.get("/v1/audit")
            #expect(again.status == .ok)
            #expect(again.json["queuedEntries"] as? Int == 1 + 1 + reads + 1)

            try await Self.setFull(harness.store, false)
            let freed = try await client.get("/v1/audit?verify=true")
            #expect(freed.status == .ok)
            #expect(freed.json["queuedEntries"] == nil)
            let entries = try #require(freed.json["entries"] as? [[String: Any]])
            let actions = entries.map { "\($0["action"] as? String ?? "?") \($0["outcome"] as? Int ?? 0)" }
            #expect(actions == ["POST /v1/dispenses 201"] + Array(repeating: "POST /v1/dispenses 201", count: accepted)
                    + ["GET /v1/audit 200", "POST /v1/dispenses 503"]
                    + Array(repeating: "GET /v1/dispenses/{id} 200", count: reads)
                    + ["GET /v1/audit 200", "GET /v1/audit 200"])
            #expect((freed.json["chain"] as? [String: Any])?["intact"] as? Bool == true)
            #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "AUD-after")).status == .created)
        }
    }
}
