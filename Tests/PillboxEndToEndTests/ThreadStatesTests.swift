import Foundation
import PillboxTestSupport
import Testing

/// The evidence a test records when a daemon does not end (`DaemonProcess.stop`).
@Suite("Thread states from /proc")
struct ThreadStatesTests {
    @Test("A live process lists each thread with its name and state; an ended and reaped one is gone")
    func liveAndGone() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["30"]
        try process.run()
        let pid = process.processIdentifier
        // The child may still be exec'ing: wait until /proc names it `sleep`.
        var states = threadStates(pid: pid)
        for _ in 0..<200 where !states.contains(" sleep ") {
            try await Task.sleep(for: .milliseconds(10))
            states = threadStates(pid: pid)
        }
        // Running or sleeping, depending on the moment: the state is one letter.
        #expect(states.hasPrefix("\(pid) sleep "), "\(states)")
        #expect(["R", "S"].contains(states.split(separator: " ").dropFirst(2).first.map(String.init)), "\(states)")
        // SIGKILL, not SIGTERM: a child inherits the signals the test process ignores, and
        // SIGTERM was seen not to end `sleep` started from here.
        kill(pid, SIGKILL)
        #expect(await process.exited(within: .seconds(10)))
        #expect(threadStates(pid: pid) == "no such process")
    }
}
