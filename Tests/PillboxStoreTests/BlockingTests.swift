import Foundation
import PillboxStore
import Testing

/// `Blocking.run`: long file work off the calling task's thread, its answer or error back.
@Suite("Blocking work off the task's thread")
struct BlockingTests {
    struct Refused: Error, Equatable {}

    @Test("The work's value comes back, and its error is thrown as it was")
    func valueAndError() async throws {
        #expect(try await Blocking.run { 6 * 7 } == 42)
        await #expect(throws: Refused()) { try await Blocking.run { throw Refused() } }
    }

    @Test("The work runs on a thread other than the caller's")
    func anotherThread() async throws {
        let caller = pthread_self()
        let worker = try await Blocking.run { pthread_self() }
        #expect(pthread_equal(caller, worker) == 0)
    }
}
