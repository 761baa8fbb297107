import Foundation
import HummingbirdTesting
import PillboxAPI
import PillboxTestSupport
import Synchronization
import Testing

/// `/v1/status` read the store's health facts, `statvfs` and `last-backup.json` on every
/// call, so a monitor polling it each second did file I/O each time. Those facts are kept
/// `statusCacheSeconds`; the counts and the storage state are never kept.
@Suite("The status keeps its disk facts for statusCacheSeconds, never the storage state")
struct StatusCacheTests {
    /// A monotonic clock the test moves by hand (nanoseconds).
    final class Clock: Sendable {
        let now = Mutex<UInt64>(1_000_000_000)
        func advance(milliseconds: UInt64) { now.withLock { $0 += milliseconds * 1_000_000 } }
    }

    static func harness(seconds: Double, clock: Clock) throws -> APIHarness {
        try APIHarness(statusCache: StatusFactsCache(seconds: seconds, uptime: { clock.now.withLock { $0 } }))
    }

    @Test("Within the setting a new record shows in the count at once and in newestRecordAt only once the facts are older than the setting")
    func factsAreKeptForTheSetting() async throws {
        let clock = Clock()
        let harness = try Self.harness(seconds: 2, clock: clock)
        try await harness.test { client in
            let first = try await client.get("/v1/status")
            #expect(first.status == .ok)
            #expect(first.json["records"] as? Int == 0)
            #expect(first.json["newestRecordAt"] == nil)
            #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "CACHE-1")).status == .created)

            clock.advance(milliseconds: 1_999)
            let kept = try await client.get("/v1/status")
            #expect(kept.json["records"] as? Int == 1, "the count is read on every call")
            #expect(kept.json["newestRecordAt"] == nil, "the facts were read again within the setting")

            clock.advance(milliseconds: 1)
            let fresh = try await client.get("/v1/status")
            #expect(fresh.json["records"] as? Int == 1)
            #expect(fresh.json["newestRecordAt"] is String, "the facts were kept beyond the setting")
        }
    }

    @Test("With statusCacheSeconds 0 every call reads the facts")
    func zeroReadsEveryCall() async throws {
        let harness = try Self.harness(seconds: 0, clock: Clock())
        try await harness.test { client in
            let before = try await client.get("/v1/status")
            #expect(before.json["newestRecordAt"] == nil)
            let created = try await client.post("/v1/dispenses", Samples.dispense(id: "CACHE-2"))
            #expect(created.status == .created)
            let after = try await client.get("/v1/status")
            #expect(after.json["newestRecordAt"] is String)
        }
    }

    @Test("A full disk shows in the status at once, with the facts still kept")
    func storageStateIsNeverKept() async throws {
        let harness = try Self.harness(seconds: 60, clock: Clock())
        try await harness.test { client in
            #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "CACHE-3")).status == .created)
            let before = try await client.get("/v1/status")
            #expect((before.json["storage"] as? [String: Any])?["state"] as? String == "ok")
            let newest = try #require(before.json["newestRecordAt"] as? String)

            try await AuditDiskFullTests.setFull(harness.store, true)
            var refused = 0
            for n in 0..<100 where refused == 0 {
                if try await client.post("/v1/dispenses", Samples.dispense(id: "CACHE-F\(n)")).status == .serviceUnavailable { refused += 1 }
            }
            #expect(refused == 1)
            let full = try await client.get("/v1/status")
            #expect((full.json["storage"] as? [String: Any])?["state"] as? String == "disk-full")
            #expect(full.json["newestRecordAt"] as? String == newest, "the facts are still the kept ones")
            try await AuditDiskFullTests.setFull(harness.store, false)
        }
    }

    @Test("A backup through the daemon drops the kept facts: the next status shows it")
    func backupShowsAtOnce() async throws {
        let harness = try Self.harness(seconds: 60, clock: Clock())
        let backups = harness.directory.path + "-backups"
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: backups) }
        try await harness.test { client in
            #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "CACHE-4")).status == .created)
            #expect(try await client.get("/v1/status").json["lastBackupPath"] == nil)
            let backup = try await client.post("/v1/backups", ["destination": backups])
            #expect(backup.status == .created)
            let path = try #require(backup.json["path"] as? String)
            let status = try await client.get("/v1/status")
            #expect(status.json["lastBackupPath"] as? String == path)
            #expect(status.json["lastBackupRecords"] as? Int == 1)
        }
    }
}
