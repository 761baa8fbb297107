import Foundation
import GRDB
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("A request's audit entry: one factory, recorded by the store's commit or else by the caller")
struct RequestAuditTests {
    static let uuid = "5F0C1E2A-0000-4000-8000-000000000001"

    static func audit() -> RequestAudit {
        RequestAudit(uid: 1000, pid: 4242, role: "dispenser", action: "POST /v1/dispenses/{id}/corrections")
    }

    @Test("Entries: one per patient (before, learnt, after; each once), or one without; ids kept only when well-formed")
    func eventsFactory() {
        let audit = Self.audit()
        #expect(audit.events(at: Fixture.now, outcome: 400).map(\.patientNAM) == [nil])
        #expect(audit.events(at: Fixture.now, outcome: 400).map(\.dispenseID) == [nil])
        audit.concerns(dispense: "TREM50020312")
        #expect(audit.events(at: Fixture.now, outcome: 404).map(\.dispenseID) == ["(malformed id)"])
        audit.concerns(dispense: Self.uuid)
        audit.concerns(patients: ["BBBB00000002", "AAAA00000001", "BBBB00000002"])
        let events = audit.events(at: Fixture.now, outcome: 201, before: "AAAA00000001", after: "CCCC00000003")
        #expect(events.map(\.patientNAM) == ["AAAA00000001", "BBBB00000002", "CCCC00000003"])
        #expect(events.allSatisfy {
            $0 == AuditEvent(at: Fixture.now, uid: 1000, pid: 4242, role: "dispenser", action: "POST /v1/dispenses/{id}/corrections",
                             dispenseID: Self.uuid.lowercased(), outcome: 201, patientNAM: $0.patientNAM)
        })
        #expect(audit.events(at: Fixture.now, outcome: 201, dispenseID: "x|y").map(\.dispenseID) == ["(malformed id)", "(malformed id)"])
        #expect(!audit.isRecorded)
    }

    @Test("A write records the request's entries in its transaction and marks them recorded; a failed commit leaves them to the caller")
    func recordedOnlyByACommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let written = RequestAudit(uid: 1000, pid: 4242, role: "dispenser", action: "POST /v1/dispenses")
        written.concerns(patient: "TREM50020312")
        let result = try await store.recordDispense(try Fixture.dispense(id: "AUD-1"), now: Fixture.now, audit: written)
        #expect(written.isRecorded)
        let entries = try await store.auditEntries(since: nil, limit: 10)
        #expect(entries.map(\.outcome) == [201])
        #expect(entries.map(\.dispenseID) == [result.recordID])
        #expect(entries.first?.patientRef?.count == 32)

        let failing = FailingCommit()
        try await store.pool.writeWithoutTransaction { db in db.add(transactionObserver: failing, extent: .databaseLifetime) }
        failing.code.withLock { $0 = .SQLITE_FULL }
        let lost = RequestAudit(uid: 1000, pid: 4242, role: "dispenser", action: "POST /v1/dispenses")
        await #expect(throws: StoreError.self) {
            _ = try await store.recordDispense(try Fixture.dispense(id: "AUD-2"), now: Fixture.now, audit: lost)
        }
        #expect(!lost.isRecorded)
        #expect(try await store.auditEntries(since: nil, limit: 10).count == 1)
    }
}
