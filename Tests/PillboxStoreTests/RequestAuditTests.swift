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

    @Test("An id is kept only as 8-4-4-4-12 hex digits: 20,000 near-UUIDs; what Foundation's UUID parser let through is refused")
    func keptIDsAreWellFormedUUIDs() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789abcdefABCDEFgG-xé\u{0} ")
        func kept(_ id: String) -> String? {
            let audit = Self.audit()
            audit.concerns(dispense: id)
            return audit.events(at: Fixture.now, outcome: 200)[0].dispenseID
        }
        // The shape, said another way: five groups of ASCII hex digits, of 8, 4, 4, 4 and 12.
        func wellFormed(_ id: String) -> Bool {
            let groups = id.split(separator: "-", omittingEmptySubsequences: false)
            return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.joined().allSatisfy { $0.isASCII && $0.isHexDigit }
        }
        var refused = 0
        for round in 0..<20_000 {
            var characters = Array(UUID().uuidString)
            if round % 2 == 0 { characters = Array(String(characters).lowercased()) }
            // Most rounds change one to three characters, or drop or add one; some keep the UUID whole.
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let at = Int.random(in: 0..<characters.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0: characters.remove(at: at)
                case 1: characters.insert(alphabet.randomElement(using: &random)!, at: at)
                default: characters[at] = alphabet.randomElement(using: &random)!
                }
            }
            let id = String(characters)
            let expected = wellFormed(id) ? id.lowercased() : "(malformed id)"
            if !wellFormed(id) { refused += 1 }
            #expect(kept(id) == expected, "\(Array(id.utf8))")
        }
        #expect(refused > 5_000 && refused < 15_000)
        #expect(kept(Self.uuid.lowercased()) == Self.uuid.lowercased())
        #expect(kept(" " + Self.uuid) == "(malformed id)")
        #expect(kept(Self.uuid.replacingOccurrences(of: "-", with: "")) == "(malformed id)")
        // Foundation's parser (`UUID(uuidString:)`, kept before) took each of these; none is a UUID.
        for lax in [Self.uuid + "\u{0}TREM50020312", "6f9b5ce3-2592-4f97- 7c3-9b41ec67ffda",
                    "f543e822-04a3-4dea-a8ef-82e882cf090x", "c5-ab843-da33-4ac3-baea-8cdcd3bbe83b"] {
            #expect(kept(lax) == "(malformed id)", "\(lax)")
        }
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
