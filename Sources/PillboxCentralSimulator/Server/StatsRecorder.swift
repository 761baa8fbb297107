import Synchronization

/// The counters behind `SimulatorStats`, shared by the listeners' handlers.
final class StatsRecorder: Sendable {
    private struct State {
        var stats = SimulatorStats()
        var windowIndex: Int64 = -1
        var windowCount = 0
    }

    private let state = Mutex(State())
    private let start = ContinuousClock.now

    /// Counts a request on the FHIR listener and its 1-second window.
    func countRequest() {
        let elapsed = ContinuousClock.now - start
        let index = elapsed.components.seconds
        state.withLock { state in
            state.stats.requests += 1
            if index != state.windowIndex {
                state.windowIndex = index
                state.windowCount = 0
            }
            state.windowCount += 1
            state.stats.peakRequestsPerSecond = max(state.stats.peakRequestsPerSecond, state.windowCount)
        }
    }

    /// Changes the counters.
    func record(_ change: (inout SimulatorStats) -> Void) {
        state.withLock { change(&$0.stats) }
    }

    /// The counters now, with `resources` as given.
    func snapshot(resources: Int) -> SimulatorStats {
        var stats = state.withLock { $0.stats }
        stats.resources = resources
        return stats
    }

    /// Back to zero.
    func reset() {
        state.withLock { $0 = State() }
    }
}
