import Foundation
import GRDB
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// A read that fails inside the store (a damaged page) is answered 503 `store-unavailable`, whose
/// detail sends the pharmacist to a technician: the daemon's log must then say why, once, without
/// patient data. A read cancelled because its request ended is not a failure of the store.
@Suite("Failed reads: the cause in the log")
struct StoreReadFailureTests {
    static let failureLine = "A read of the store failed; requests that need it are answered 503 store-unavailable "
        + "(run pillbox verify to find what is damaged)"

    @Test("A damaged page: each read fails with SQLite's cause; the log says it once (counted), and no patient data")
    func damagedPage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let setup = try Fixture.open(directory)
        _ = try await Fixture.create(setup, try Fixture.dispense(id: "RX-1"))
        try setup.close()
        try Fixture.damageRootPage(directory, of: "dispense_version")

        let capture = LogCapture()
        let store = try Fixture.open(directory, logger: capture.logger)
        defer { try? store.close() }
        for _ in 0..<3 {
            let error = await #expect(throws: StoreError.self) {
                _ = try await store.profile(nam: "TREM50020312", since: nil, limit: 10)
            }
            #expect(error == StoreError(.io, "database read failed: SQLite error 11: database disk image is malformed"))
        }
        let lines = capture.records.filter { $0.level == .error }
        #expect(lines.map(\.message) == [Self.failureLine])
        #expect(lines.first?.metadata == ["error.detail": "SQLite error 11: database disk image is malformed",
                                          "store.readFailures": "1"])
        #expect(!capture.records.contains { $0.rendered.contains("TREM50020312") || $0.rendered.contains("RX-1") })
    }

    @Test("A read cancelled with its task says so and logs nothing")
    func cancelled() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let capture = LogCapture()
        let store = try Fixture.open(directory, logger: capture.logger)
        defer { try? store.close() }
        let outcome = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                _ = try await store.verifyAudit()
                return "no error"
            } catch {
                return "\(error)"
            }
        }.value
        #expect(outcome == "io: the read was cancelled (its request ended, or pillboxd is stopping); nothing was changed")
        #expect(!capture.records.contains { $0.level >= .warning })
    }

    @Test("At most one line per interval, counting the failures since the last line")
    func paced() {
        let log = ReadFailureLog(interval: .seconds(10))
        let start = ContinuousClock.now
        let counted = [0, 1, 5, 9.9, 10, 10.5, 30, 30].map { log.count(at: start + .milliseconds(Int($0 * 1000))) }
        #expect(counted == [1, nil, nil, nil, 4, nil, 2, nil])
    }
}
