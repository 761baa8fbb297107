import Foundation
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Store health facts for pillbox status and doctor")
struct StoreHealthFactsTests {
    @Test("A new store: its three keys, no record, no upload, no cached profile")
    func emptyStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let facts = try await store.healthFacts()
        #expect(facts.keys.map(\.purpose).sorted() == ["audit", "data", "index"])
        #expect(facts.keys.allSatisfy { $0.createdAt == Fixture.now })
        #expect(facts.keys.first { $0.purpose == "data" }?.id == store.dataKeyID)
        #expect(facts.newestRecordAt == nil)
        #expect(facts.lastUploadAt == nil)
        #expect(facts.cachedProfiles == 0)
        #expect(facts.oldestProfileFetchedAt == nil)
    }

    @Test("Newest record, last upload and the ages of cached profiles")
    func ages() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        _ = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        let later = Fixture.now.addingTimeInterval(60)
        _ = try await store.recordDispense(try Fixture.dispense(id: "PDI-2"), now: later, audit: Fixture.intakeAudit)
        let seqs = try await store.outboxEntries(state: .pending, limit: 10).map(\.seq)
        try await store.recordUploadResults([(seqs[0], .sent)], now: Fixture.now.addingTimeInterval(90))
        try await store.cacheCentralProfile(nam: "TREM50020312", payload: Data("{}".utf8), fetchedAt: Fixture.now.addingTimeInterval(-3600))
        try await store.cacheCentralProfile(nam: "GAGN60010199", payload: Data("{}".utf8), fetchedAt: Fixture.now.addingTimeInterval(-60))
        let facts = try await store.healthFacts()
        #expect(facts.newestRecordAt == later)
        #expect(facts.lastUploadAt == Fixture.now.addingTimeInterval(90))
        #expect(facts.cachedProfiles == 2)
        #expect(facts.oldestProfileFetchedAt == Fixture.now.addingTimeInterval(-3600))
        #expect(facts.newestProfileFetchedAt == Fixture.now.addingTimeInterval(-60))
    }

    @Test("Disk space of the data folder's filesystem")
    func diskSpace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let disk = try #require(store.diskSpace())
        #expect(disk.totalBytes > 0)
        #expect(disk.freeBytes >= 0 && disk.freeBytes <= disk.totalBytes)
        #expect(DiskSpace.of(directory.file("missing/folder")) == nil)
    }
}
