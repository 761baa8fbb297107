import Foundation
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Recall look-up")
struct StoreRecallTests {
    static let metformin = "02242903"
    static let atorvastatin = "02230711"

    @Test("A recall by DIN finds that product's fills, newest first, and nothing else")
    func recallByDIN() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let a = try await Fixture.create(store, try Fixture.dispense(id: "A", din: Self.metformin, lot: "L1", handedOver: "2026-03-01T09:00:00Z"))
        let b = try await Fixture.create(store, try Fixture.dispense(id: "B", din: Self.metformin, lot: "L2", handedOver: "2026-06-01T09:00:00Z"))
        let c = try await Fixture.create(store, try Fixture.dispense(id: "C", nam: "ROYP40010199", din: Self.metformin, lot: "L1",
                                                                   handedOver: "2026-09-01T09:00:00Z"))
        _ = try await Fixture.create(store, try Fixture.dispense(id: "D", din: Self.atorvastatin, lot: "L1", handedOver: "2026-10-01T09:00:00Z"))

        let page = try await store.recall(RecallQuery(din: Self.metformin, limit: 10))
        #expect(page.records == [c, b, a])
        #expect(page.nextCursor == nil)
        #expect(try await store.recall(RecallQuery(din: Self.metformin, lot: "L1", limit: 10)).records == [c, a])
        #expect(try await store.recall(RecallQuery(din: Self.metformin, lot: "L3", limit: 10)).records == [])
        #expect(try await store.recall(RecallQuery(din: "99999999", limit: 10)).records == [])
    }

    @Test("A recall period includes its start and excludes its end")
    func periodBounds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let march = try await Fixture.create(store, try Fixture.dispense(id: "A", handedOver: "2026-03-01T09:00:00Z"))
        let june = try await Fixture.create(store, try Fixture.dispense(id: "B", handedOver: "2026-06-01T09:00:00Z"))
        let september = try await Fixture.create(store, try Fixture.dispense(id: "C", handedOver: "2026-09-01T09:00:00Z"))
        let juneInstant = try #require(Timestamps.parseRFC3339("2026-06-01T09:00:00Z"))
        let septemberInstant = try #require(Timestamps.parseRFC3339("2026-09-01T09:00:00Z"))

        #expect(try await store.recall(RecallQuery(din: Self.metformin, from: juneInstant, to: septemberInstant, limit: 10)).records
            == [june])
        #expect(try await store.recall(RecallQuery(din: Self.metformin, from: juneInstant, limit: 10)).records == [september, june])
        #expect(try await store.recall(RecallQuery(din: Self.metformin, to: septemberInstant, limit: 10)).records == [june, march])
        #expect(try await store.recall(RecallQuery(din: Self.metformin, from: juneInstant.addingTimeInterval(0.001),
                                                   to: septemberInstant.addingTimeInterval(0.001), limit: 10)).records
            == [september])
    }

    @Test("Paging 7 fills 3 at a time gives pages of 3, 3 and 1 in order, with no duplicate and no gap")
    func pagingCoversEveryRecordOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        // Three fills share one instant, so the cursor must also order by id.
        let times = ["2026-01-01T09:00:00Z", "2026-02-01T09:00:00Z", "2026-03-01T09:00:00Z", "2026-03-01T09:00:00Z",
                     "2026-03-01T09:00:00Z", "2026-04-01T09:00:00Z", "2026-05-01T09:00:00Z"]
        var created: [DispenseRecord] = []
        for (index, time) in times.enumerated() {
            created.append(try await Fixture.create(store, try Fixture.dispense(id: "P\(index)", handedOver: time)))
        }
        _ = try await Fixture.create(store, try Fixture.dispense(id: "other", din: Self.atorvastatin, handedOver: "2026-03-01T09:00:00Z"))
        let expected = created.sorted { lhs, rhs in
            let l = Timestamps.parseRFC3339(lhs.dispense.whenHandedOver!)!, r = Timestamps.parseRFC3339(rhs.dispense.whenHandedOver!)!
            return l != r ? l > r : lhs.id > rhs.id
        }

        let first = try await store.recall(RecallQuery(din: Self.metformin, limit: 3))
        let firstCursor = try #require(first.nextCursor)
        let second = try await store.recall(RecallQuery(din: Self.metformin, limit: 3, cursor: firstCursor))
        let secondCursor = try #require(second.nextCursor)
        let third = try await store.recall(RecallQuery(din: Self.metformin, limit: 3, cursor: secondCursor))

        #expect(first.records.count == 3)
        #expect(second.records.count == 3)
        #expect(third.records.count == 1)
        #expect(third.nextCursor == nil)
        #expect(first.records + second.records + third.records == expected)
        #expect(Set((first.records + second.records + third.records).map(\.id)).count == 7)
    }

    @Test("When the records fit the limit exactly there is no next cursor")
    func exactFitHasNoCursor() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        for index in 0..<3 {
            _ = try await Fixture.create(store, try Fixture.dispense(id: "P\(index)", handedOver: "2026-0\(index + 1)-01T09:00:00Z"))
        }
        let page = try await store.recall(RecallQuery(din: Self.metformin, limit: 3))
        #expect(page.records.count == 3)
        #expect(page.nextCursor == nil)
    }

    @Test("A cursor this store did not issue is refused as invalid", arguments: ["garbage!", "bm90IGEgY3Vyc29y", "", "%%%"])
    func garbageCursorIsRefused(cursor: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        await #expect(throws: StoreError(.invalidCursor, "the cursor is not one this server issued; start again without cursor")) {
            try await store.recall(RecallQuery(din: Self.metformin, limit: 3, cursor: cursor))
        }
    }
}
