import Foundation
@testable import PillboxDaemon
import PillboxTestSupport
import Testing

@Suite("A long start asks systemd for more time")
struct StartTimeoutExtenderTests {
    @Test("While the work runs, EXTEND_TIMEOUT_USEC and the reason are sent every interval; nothing once it returns")
    func extendsWhileRunning() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        let value = StartTimeoutExtender.whileRunning(notifier, every: .milliseconds(100), extendBy: .seconds(60)) {
            Thread.sleep(forTimeInterval: 0.55)
            return 7
        }
        #expect(value == 7)
        let during = listener.drain()
        // Five intervals fit in 0.55 s; on a loaded machine (a full test run) the timer's
        // queue may run late, so at least two are asked for.
        #expect((2...5).contains(during.count), "\(during)")
        #expect(Set(during) == ["EXTEND_TIMEOUT_USEC=60000000\nSTATUS=\(StartTimeoutExtender.status)"])
        try await Task.sleep(for: .milliseconds(300))
        #expect(listener.drain() == [])
    }

    @Test("Without $NOTIFY_SOCKET the work just runs, and its error comes through")
    func noSystemd() throws {
        struct Failed: Error {}
        #expect(throws: Failed.self) {
            try StartTimeoutExtender.whileRunning(SystemdNotifier(environment: [:]), every: .milliseconds(10)) { throw Failed() }
        }
    }
}
