import Foundation
import PillboxTestSupport
import Testing

/// The evidence a test records when a daemon does not end (`DaemonProcess.stop`).
@Suite("Thread states from /proc")
struct ThreadStatesTests {
    @Test("A live process lists each thread with its name and state; a killed one shows as a zombie, or is gone once reaped")
    func liveAndGone() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        try process.run()
        let pid = process.processIdentifier
        // The child may still be exec'ing or paging in (`R`, `D`): wait until it sleeps.
        var states = threadStates(pid: pid)
        for _ in 0..<1000 where !states.hasPrefix("\(pid) sleep S ") {
            try await Task.sleep(for: .milliseconds(10))
            states = threadStates(pid: pid)
        }
        #expect(states.hasPrefix("\(pid) sleep S "), "\(states)")
        // SIGKILL, not SIGTERM: a child inherits the signals the test process ignores, and
        // SIGTERM was seen not to end `sleep` started from here.
        kill(pid, SIGKILL)
        // Dead: a zombie until Foundation reaps it, then gone. Foundation's `Process` was seen
        // (in CI, under the full suite) not to reap it within 10 s, leaving `18936 sleep Z 0`:
        // the state, not `isRunning`, is what this asserts.
        var after = threadStates(pid: pid)
        for _ in 0..<1000 where !(after == "no such process" || after.hasPrefix("\(pid) sleep Z ")) {
            try await Task.sleep(for: .milliseconds(10))
            after = threadStates(pid: pid)
        }
        #expect(after == "no such process" || after.hasPrefix("\(pid) sleep Z "), "\(after)")
    }
}
