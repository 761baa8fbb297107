import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A long-running child (the daemon, the simulator) whose end a test waits for by polling
/// `waitpid(WNOHANG)`, without holding a thread of the task pool.
///
/// Not Foundation's `Process`: it learns that a child ended through a socket the child
/// inherited (see `SpawnedChild`), and under the full suite it was seen not to notice a
/// SIGKILLed child for more than 10 s, a zombie beside `isRunning == true`: the likely cause
/// of "pillboxd did not exit within 30 s" after a daemon had logged "Pillbox stopped".
package final class WatchedChild: Sendable {
    package let pid: pid_t
    /// The exit code once reaped (128 + the signal when killed).
    private let code = Mutex<Int32?>(nil)

    /// Starts `executable`; stdin is /dev/null, stdout and stderr as `SpawnedChild.start` is told.
    package init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                 output: SpawnedChild.Stream, errors: SpawnedChild.Stream) throws {
        precondition(output != .capture && errors != .capture, "nothing would read a captured stream")
        pid = try SpawnedChild.start(executable, arguments, environment: environment, output: output, errors: errors).pid
    }

    /// The exit code if the child has ended (reaping it), nil while it runs.
    package func exitCode() -> Int32? {
        code.withLock { code in
            if let code { return code }
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, WNOHANG) } while result < 0 && errno == EINTR
            if result == 0 { return nil }
            // ECHILD: reaped by someone else; it has ended, its code is unknown.
            code = result < 0 ? -1 : SpawnedChild.exitCode(status: status)
            return code
        }
    }

    /// Sends `signal` unless the child is already reaped (its pid may belong to another process by then).
    package func send(_ signal: Int32) {
        code.withLock { code in
            if code == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits up to `limit` for the child to end; its exit code, or nil if it still runs.
    package func exited(within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let code = exitCode() { return code }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Ends the child from a place that cannot wait (a `deinit`): SIGKILL, reaped on a thread
    /// of its own.
    package func abandon() {
        guard exitCode() == nil else { return }
        send(SIGKILL)
        Thread.detachNewThread { while self.exitCode() == nil { usleep(10_000) } }
    }
}
