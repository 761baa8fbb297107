import AsyncHTTPClient
import Foundation
import PillboxTestSupport
import Testing

/// The simulator's graceful shutdown waits for the requests it holds: in `slow` mode, a request
/// delayed 600 s keeps a SIGTERM'd simulator running for 600 s (seen by hand: still running 30 s
/// after SIGTERM). `SimulatorProcess.stop()` must not wait that long, nor hold a thread of the
/// task pool while it waits: a test or drill that stops a simulator must never hang the run.
@Suite("Stopping a simulator that holds a request")
struct SimulatorStopTests {
    @Test("stop() ends a simulator holding a 600 s request: SIGKILL after its 10 s grace, the process gone")
    func stopsDespiteAHeldRequest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let central = SimulatorProcess(directory: directory)
        try await central.start(mode: "up")
        try await central.setMode(#"{"mode":"slow","delaySeconds":600}"#)
        let pid = try #require(central.pid)
        let held = Task {
            try? await HTTPClient.shared.execute(HTTPClientRequest(url: central.fhirBase + "/metadata"), timeout: .seconds(700))
        }
        defer { held.cancel() }
        try await Task.sleep(for: .milliseconds(500))   // the request is in the simulator's hands

        let started = ContinuousClock.now
        await central.stop()
        let took = ContinuousClock.now - started
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the simulator (pid \(pid)) is still running")
        #expect(took >= .seconds(9) && took < .seconds(25), "stop() took \(took)")
    }
}
