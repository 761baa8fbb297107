import Foundation
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// The reads that run on the calling thread on their own read-only connections (`shortRead`:
/// a profile, the checks' fills, a single read, a cached central profile) next to everything
/// else the store does (docs/storage.md, "Short reads").
@Suite("Short reads on the calling thread")
struct StoreShortReadTests {
    @Test("A short read sees every write acknowledged before it")
    func seesAcknowledgedWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        var created: [String] = []
        for n in 0..<20 {
            let record = try await Fixture.create(store, try Fixture.dispense(
                id: "RX-\(n)", handedOver: String(format: "2026-11-%02dT10:00:00Z", n + 1)))
            created.append(record.id)
            let listing = try await store.profileAnswer(nam: "TREM50020312", since: nil, limit: 50)
            #expect(listing.entries.count == n + 1)
            #expect(listing.pharmacyDispenseIds.contains("RX-\(n)"))
            #expect(try await store.dispenseAnswer(id: record.id) != nil)
            #expect(try await store.checkFills(nam: "TREM50020312", since: nil, limit: 50).fills.first?.id == record.id)
        }
        let corrected = try #require(created.last)
        var body = Samples.dispense(id: "RX-19", handedOver: "2026-11-20T10:00:00Z")
        body["quantity"] = ["value": 15, "unit": "tablet"]
        _ = try await store.correctDispense(id: corrected, correction: try Fixture.correction(body, reason: "fifteen"),
                                            now: Fixture.now, audit: Fixture.changeAudit)
        #expect(try await store.dispense(id: corrected)?.version == 2)
        #expect(try await store.history(id: corrected).map(\.version) == [1, 2])
    }

    /// More callers than task threads and reader connections, short reads mixed with reads on
    /// the pool's queues (statistics, a patient's whole record) and writes: a short read that
    /// waited for a connection held by a queued read could deadlock; none does.
    @Test("Many short reads, queued reads and writes at once all finish", .timeLimit(.minutes(1)))
    func mixedReadsFinish() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let first = try await Fixture.create(store, try Fixture.dispense(id: "RX-FIRST"))
        let answered = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<240 {
                group.addTask {
                    switch n % 6 {
                    case 0: return try await store.profileAnswer(nam: "TREM50020312", since: nil, limit: 200).entries.count > 0 ? 1 : 0
                    case 1: return try await store.dispenseAnswer(id: first.id) != nil ? 1 : 0
                    case 2: return try await store.checkFills(nam: "TREM50020312", since: nil, limit: 200).fills.isEmpty ? 0 : 1
                    case 3: return try await store.statistics().recordCount > 0 ? 1 : 0
                    case 4: return try await store.patientRecord(nam: "TREM50020312", limit: 200).records.isEmpty ? 0 : 1
                    default:
                        _ = try await Fixture.create(store, try Fixture.dispense(id: "RX-\(n)"))
                        return 1
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(answered == 240)
        #expect(try await store.statistics().recordCount == 41)
    }

    @Test("Health's read check answers on the short pool while the store is open, and fails once it is closed")
    func healthReadCheck() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        #expect(store.answersShortReads())
        try store.close()
        #expect(!store.answersShortReads())
    }

    @Test("Closing after short reads leaves no -wal or -shm behind")
    func closeLeavesNoSidecars() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let record = try await Fixture.create(store, try Fixture.dispense(id: "RX-1"))
        #expect(try await store.dispenseAnswer(id: record.id) != nil)
        #expect(try await store.profileAnswer(nam: "TREM50020312", since: nil, limit: 10).entries.count == 1)
        try store.close()
        let path = Fixture.databasePath(directory)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
    }
}
