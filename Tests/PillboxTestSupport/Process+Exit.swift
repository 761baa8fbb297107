import Foundation

extension Process {
    /// Waits up to `limit` for the process to end, polling without blocking a thread of the
    /// task pool; true if it ended.
    package func exited(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while isRunning {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
