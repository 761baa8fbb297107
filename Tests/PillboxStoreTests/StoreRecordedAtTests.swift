import Foundation
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

/// Found by the crash-loop drill: the answer to a write must show the same `recordedAt` as
/// every later read, including when the seconds-since-1970 round trip moves the last millisecond.
@Suite("Recorded time")
struct StoreRecordedAtTests {
    /// A time whose millisecond changes when it goes through `timeIntervalSince1970` and back.
    static func timeAtMillisecondEdge() throws -> Date {
        let base = Fixture.now.timeIntervalSinceReferenceDate
        for step in 0..<2_000_000 {
            let date = Date(timeIntervalSinceReferenceDate: base + Double(step) * 0.000_001_3)
            if Timestamps.format(date) != Timestamps.format(Date(timeIntervalSince1970: date.timeIntervalSince1970)) {
                return date
            }
        }
        throw Unexpected(description: "no time at a millisecond edge found")
    }

    @Test("The acknowledged record and the stored one show the same recordedAt at a millisecond edge")
    func acknowledgedRecordedAtIsStored() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let edge = try Self.timeAtMillisecondEdge()
        let result = try await store.recordDispense(try Fixture.dispense(id: "EDGE"), now: edge, audit: Fixture.intakeAudit)
        guard case .created(let acknowledged) = result else { throw Unexpected(description: "got \(result)") }
        let stored = try #require(try await store.dispense(id: acknowledged.id))
        #expect(acknowledged.recordedAt == stored.recordedAt)
        #expect(acknowledged == stored)
    }
}
