import Foundation
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Correcting and cancelling dispenses")
struct StoreChangeTests {
    let later = Fixture.now.addingTimeInterval(3600)
    let muchLater = Fixture.now.addingTimeInterval(7200)

    func changed(_ result: ChangeResult) throws -> DispenseRecord {
        guard case .changed(let record) = result else { throw Unexpected(description: "expected .changed, got \(result)") }
        return record
    }

    @Test("A correction makes version 2 and the history lists both versions oldest first")
    func correctionMakesVersionTwo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let original = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        var body = Samples.dispense(id: "PDI-1")
        body["quantity"] = ["value": 30, "unit": "tablet"]
        let correction = try Fixture.correction(body, reason: "Quantity was 30")

        let version2 = try changed(try await store.correctDispense(id: original.id, correction: correction, now: later,
                                                                   audit: Fixture.changeAudit))

        #expect(version2 == DispenseRecord(id: original.id, version: 2, status: .completed,
                                           recordedAt: "2026-12-01T13:00:00.000Z", reason: "Quantity was 30",
                                           sync: .init(state: .pending), dispense: correction.dispense))
        #expect(version2.dispense.quantity == Dispense.Quantity(value: 30, unit: "tablet"))
        let history = try await store.history(id: original.id)
        #expect(history == [original, version2])
        #expect(history.map(\.version) == [1, 2])
        #expect(history.map(\.status) == [.completed, .completed])
        #expect(history.map(\.reason) == [nil, "Quantity was 30"])
        #expect(try await store.dispense(id: original.id) == version2)
        let stats = try await store.statistics()
        #expect(stats.recordCount == 1)
        #expect(stats.pendingCount == 2)
    }

    @Test("A cancellation after a correction makes version 3, cancelled, with the corrected content")
    func cancellationMakesVersionThree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let original = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        let correction = try Fixture.correction(Samples.dispense(id: "PDI-1", lot: "L777"), reason: "Lot")
        let version2 = try changed(try await store.correctDispense(id: original.id, correction: correction, now: later,
                                                                   audit: Fixture.changeAudit))

        let version3 = try changed(try await store.cancelDispense(
            id: original.id, cancellation: try Fixture.cancellation("cancelled", reason: "Returned unopened"),
            now: muchLater, audit: Fixture.changeAudit))

        #expect(version3 == DispenseRecord(id: original.id, version: 3, status: .cancelled,
                                           recordedAt: "2026-12-01T14:00:00.000Z", reason: "Returned unopened",
                                           sync: .init(state: .pending), dispense: version2.dispense))
        let history = try await store.history(id: original.id)
        #expect(history.map(\.version) == [1, 2, 3])
        #expect(history.map(\.status) == [.completed, .completed, .cancelled])
        #expect(history.map(\.reason) == [nil, "Lot", "Returned unopened"])
        #expect(history.map(\.dispense.lot) == ["L123", "L777", "L777"])
        #expect(try await store.dispense(id: original.id) == version3)
    }

    @Test("A cancelled dispense cannot be cancelled again nor corrected, and nothing is written")
    func cancelledDispenseRefusesChanges() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let original = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        let cancelled = try changed(try await store.cancelDispense(
            id: original.id, cancellation: try Fixture.cancellation("cancelled", reason: "Returned"), now: later,
            audit: Fixture.changeAudit))

        let again = try await store.cancelDispense(
            id: original.id, cancellation: try Fixture.cancellation("cancelled", reason: "Twice"), now: later,
            audit: Fixture.changeAudit)
        let correction = try await store.correctDispense(
            id: original.id, correction: try Fixture.correction(Samples.dispense(id: "PDI-1", lot: "L2"), reason: "Lot"),
            now: later, audit: Fixture.changeAudit)

        #expect(again == .refused(Phrase("the dispense is already cancelled", fr: "le service est déjà à l'état « cancelled »")))
        #expect(correction == .refused(Phrase("the dispense is cancelled and cannot be corrected", fr: "le service est à l'état « cancelled » et ne peut pas être corrigé")))
        #expect(try await store.history(id: original.id).map(\.version) == [1, 2])
        #expect(try await store.dispense(id: original.id) == cancelled)
        #expect(try await store.statistics().pendingCount == 2)
        #expect(try await store.auditEntries(since: nil, limit: 10).map(\.outcome) == [201, 201, 409, 409])
    }

    @Test("A cancelled dispense can still be marked entered-in-error, after which nothing changes it")
    func enteredInErrorIsFinal() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let original = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        _ = try changed(try await store.cancelDispense(
            id: original.id, cancellation: try Fixture.cancellation("cancelled", reason: "Returned"), now: later,
            audit: Fixture.changeAudit))

        let inError = try changed(try await store.cancelDispense(
            id: original.id, cancellation: try Fixture.cancellation("entered-in-error", reason: "Wrong patient"),
            now: muchLater, audit: Fixture.changeAudit))
        #expect(inError.version == 3)
        #expect(inError.status == .enteredInError)

        #expect(try await store.cancelDispense(
            id: original.id, cancellation: try Fixture.cancellation("cancelled", reason: "again"), now: muchLater,
            audit: Fixture.changeAudit) == .refused(Phrase("an entered-in-error dispense cannot change", fr: "un service à l'état « entered-in-error » (inscrit par erreur) ne peut plus changer")))
        #expect(try await store.cancelDispense(
            id: original.id, cancellation: try Fixture.cancellation("entered-in-error", reason: "again"), now: muchLater,
            audit: Fixture.changeAudit) == .refused(Phrase("an entered-in-error dispense cannot change", fr: "un service à l'état « entered-in-error » (inscrit par erreur) ne peut plus changer")))
        let correction = try await store.correctDispense(
            id: original.id, correction: try Fixture.correction(Samples.dispense(id: "PDI-1"), reason: "r"),
            now: muchLater, audit: Fixture.changeAudit)
        guard case .refused = correction else { Issue.record("expected .refused, got \(correction)"); return }
        #expect(try await store.history(id: original.id).map(\.status) == [.completed, .cancelled, .enteredInError])
    }

    @Test("Refusing to correct an entered-in-error dispense says so in correct English")
    func enteredInErrorCorrectionMessage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let original = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))
        _ = try changed(try await store.cancelDispense(
            id: original.id, cancellation: try Fixture.cancellation("entered-in-error", reason: "Wrong patient"),
            now: later, audit: Fixture.changeAudit))
        #expect(try await store.correctDispense(
            id: original.id, correction: try Fixture.correction(Samples.dispense(id: "PDI-1"), reason: "r"),
            now: later, audit: Fixture.changeAudit) == .refused(Phrase("the dispense is entered-in-error and cannot be corrected", fr: "le service est à l'état « entered-in-error » et ne peut pas être corrigé")))
    }

    @Test("A correction that changes pharmacyDispenseId is refused and writes nothing")
    func correctionCannotChangeDispenseID() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let original = try await Fixture.create(store, try Fixture.dispense(id: "PDI-1"))

        let result = try await store.correctDispense(
            id: original.id, correction: try Fixture.correction(Samples.dispense(id: "PDI-2"), reason: "Typo"),
            now: later, audit: Fixture.changeAudit)

        #expect(result == .refused(Phrase("a correction cannot change pharmacyDispenseId", fr: "une correction ne peut pas changer pharmacyDispenseId")))
        #expect(try await store.history(id: original.id) == [original])
        #expect(try await store.statistics().pendingCount == 1)
    }

    @Test("Changing an unknown id answers not found and writes only the audit entry")
    func unknownIDIsNotFound() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)

        let correction = try await store.correctDispense(
            id: "00000000-0000-0000-0000-000000000000",
            correction: try Fixture.correction(Samples.dispense(id: "PDI-1"), reason: "r"), now: later,
            audit: Fixture.changeAudit)
        let cancellation = try await store.cancelDispense(
            id: "00000000-0000-0000-0000-000000000000",
            cancellation: try Fixture.cancellation("cancelled", reason: "r"), now: later, audit: Fixture.changeAudit)

        #expect(correction == .notFound)
        #expect(cancellation == .notFound)
        #expect(try await store.statistics().recordCount == 0)
        #expect(try await store.statistics().pendingCount == 0)
        #expect(try await store.auditEntries(since: nil, limit: 10).map(\.outcome) == [404, 404])
    }
}
