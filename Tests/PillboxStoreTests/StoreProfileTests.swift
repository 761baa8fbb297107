import Foundation
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Patient profile")
struct StoreProfileTests {
    static let marie = "TREM50020312"
    static let paul = "ROYP40010199"

    @Test("A profile lists the patient's dispenses newest first, leaving out other patients")
    func profileIsNewestFirst() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let march = try await Fixture.create(store, try Fixture.dispense(id: "A", handedOver: "2026-03-01T09:00:00-05:00"))
        let november = try await Fixture.create(store, try Fixture.dispense(id: "B", handedOver: "2026-11-20T10:00:00-05:00"))
        let june = try await Fixture.create(store, try Fixture.dispense(id: "C", handedOver: "2026-06-15T12:00:00Z"))
        _ = try await Fixture.create(store, try Fixture.dispense(id: "D", nam: Self.paul, handedOver: "2026-11-25T10:00:00Z"))

        #expect(try await store.profile(nam: Self.marie, since: nil, limit: 10).entries == [.record(november), .record(june), .record(march)])
        #expect(try await store.profile(nam: Self.marie, since: nil, limit: 2).records == [november, june])
        #expect(try await store.profile(nam: Self.paul, since: nil, limit: 10).records.map(\.dispense.pharmacyDispenseId) == ["D"])
        #expect(try await store.profile(nam: "NONE00000000", since: nil, limit: 10).records == [])
    }

    @Test("A profile carries each entry's dispense time from the clear column, equal to its parsed whenHandedOver")
    func profileCarriesDispenseTimes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        for (id, at) in [("A", "2026-03-01T09:00:00.125-05:00"), ("B", "2026-11-20T10:00:00Z"), ("C", "2026-06-15T12:00:00.5Z")] {
            _ = try await Fixture.create(store, try Fixture.dispense(id: id, handedOver: at))
        }
        let listing = try await store.profile(nam: Self.marie, since: nil, limit: 10)
        #expect(listing.records.map(\.dispense.pharmacyDispenseId) == ["B", "C", "A"])
        #expect(listing.dispensedAt == listing.records.map { Timestamps.parseRFC3339($0.dispense.whenHandedOver ?? "") ?? .distantPast })
        #expect(listing.dispensedAt.count == 3)
    }

    @Test("since keeps dispenses handed over at or after it")
    func sinceIsInclusive() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        _ = try await Fixture.create(store, try Fixture.dispense(id: "A", handedOver: "2026-03-01T09:00:00Z"))
        let june = try await Fixture.create(store, try Fixture.dispense(id: "B", handedOver: "2026-06-15T12:00:00Z"))
        let november = try await Fixture.create(store, try Fixture.dispense(id: "C", handedOver: "2026-11-20T10:00:00Z"))

        let juneInstant = try #require(Timestamps.parseRFC3339("2026-06-15T12:00:00Z"))
        #expect(try await store.profile(nam: Self.marie, since: juneInstant, limit: 10).records == [november, june])
        #expect(try await store.profile(nam: Self.marie, since: juneInstant.addingTimeInterval(0.001), limit: 10).records == [november])
    }

    @Test("Entered-in-error dispenses leave the profile; cancelled ones stay with their cancelled version")
    func enteredInErrorIsExcluded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let kept = try await Fixture.create(store, try Fixture.dispense(id: "A", handedOver: "2026-03-01T09:00:00Z"))
        let wrong = try await Fixture.create(store, try Fixture.dispense(id: "B", handedOver: "2026-06-15T12:00:00Z"))
        let returned = try await Fixture.create(store, try Fixture.dispense(id: "C", handedOver: "2026-11-20T10:00:00Z"))
        _ = try await store.cancelDispense(id: wrong.id, cancellation: try Fixture.cancellation("entered-in-error", reason: "w"),
                                           now: Fixture.now, audit: Fixture.changeAudit)
        let cancelled = try await store.cancelDispense(id: returned.id, cancellation: try Fixture.cancellation("cancelled", reason: "r"),
                                                       now: Fixture.now, audit: Fixture.changeAudit)
        guard case .changed(let returnedV2) = cancelled else { Issue.record("expected .changed, got \(cancelled)"); return }

        #expect(try await store.profile(nam: Self.marie, since: nil, limit: 10).records == [returnedV2, kept])
    }

    @Test("A correction that changes the NAM moves the dispense to the other patient's profile")
    func correctionMovesDispenseToNewPatient() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let stays = try await Fixture.create(store, try Fixture.dispense(id: "A", handedOver: "2026-03-01T09:00:00Z"))
        let moves = try await Fixture.create(store, try Fixture.dispense(id: "B", handedOver: "2026-06-15T12:00:00Z"))

        let result = try await store.correctDispense(
            id: moves.id,
            correction: try Fixture.correction(Samples.dispense(id: "B", nam: "royp 4001 0199", handedOver: "2026-06-15T12:00:00Z"),
                                               reason: "Wrong patient card"),
            now: Fixture.now, audit: Fixture.changeAudit)
        guard case .changed(let moved) = result else { Issue.record("expected .changed, got \(result)"); return }

        #expect(moved.dispense.patient.nam == Self.paul)
        #expect(try await store.profile(nam: Self.marie, since: nil, limit: 10).records == [stays])
        #expect(try await store.profile(nam: Self.paul, since: nil, limit: 10).records == [moved])
        // Versions are filed under their dispense's patient: the first one moved with it.
        #expect(try await store.history(id: moves.id) == [moves, moved])
        #expect(try await store.dispense(id: moves.id) == moved)

        let back = try await store.correctDispense(
            id: moves.id, correction: try Fixture.correction(Samples.dispense(id: "B", handedOver: "2026-06-15T12:00:00Z"), reason: "r"),
            now: Fixture.now, audit: Fixture.changeAudit)
        guard case .changed(let returned) = back else { Issue.record("expected .changed, got \(back)"); return }
        #expect(try await store.history(id: moves.id) == [moves, moved, returned])
        #expect(try await store.profile(nam: Self.marie, since: nil, limit: 10).records == [returned, stays])
        #expect(try await store.profile(nam: Self.paul, since: nil, limit: 10).records == [])
        #expect(try await store.verify().problems == [])
    }

    @Test("A correction of the hand-over time reorders the profile")
    func correctionOfTimeReorders() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let first = try await Fixture.create(store, try Fixture.dispense(id: "A", handedOver: "2026-03-01T09:00:00Z"))
        let second = try await Fixture.create(store, try Fixture.dispense(id: "B", handedOver: "2026-06-15T12:00:00Z"))
        let result = try await store.correctDispense(
            id: first.id,
            correction: try Fixture.correction(Samples.dispense(id: "A", handedOver: "2026-07-01T09:00:00Z"), reason: "Date"),
            now: Fixture.now, audit: Fixture.changeAudit)
        guard case .changed(let corrected) = result else { Issue.record("expected .changed, got \(result)"); return }

        #expect(try await store.profile(nam: Self.marie, since: nil, limit: 10).records == [corrected, second])
    }
}
