import Foundation
import PillboxClient

/// A real `pillboxd` process on a temporary folder, for end-to-end tests.
package final class DaemonProcess: @unchecked Sendable {
    package let directory: TemporaryDirectory
    package let socketPath: String
    package let outputPath: String
    package let arguments: [String]
    package let environment: [String: String]
    private var process: WatchedChild?

    /// The built daemon: `$PILLBOXD_BINARY`, else `.build/debug/pillboxd` of this package.
    package static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["PILLBOXD_BINARY"] { return path }
        return executablePath("pillboxd")
    }

    /// Path of an executable product built next to the tests.
    package static func executablePath(_ name: String) -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/\(name)").path
    }

    /// Prepares (does not start) a daemon on `directory` with its socket at `directory/s`.
    package init(directory: TemporaryDirectory, arguments: [String] = [], environment: [String: String] = [:]) {
        self.directory = directory
        self.socketPath = directory.file("s")
        self.outputPath = directory.file("daemon.log")
        self.arguments = arguments
        self.environment = environment
    }

    /// Default arguments: data folder `directory/data`, socket `directory/s`.
    package var baseArguments: [String] { ["--data-dir", directory.file("data"), "--socket", socketPath] }

    /// Starts the daemon and waits until its socket accepts connections.
    package func start(timeout: Duration = .seconds(30)) async throws {
        let process = try launch()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let code = process.exitCode() {
                throw DaemonTestError(message: "pillboxd exited with \(code): \(output)")
            }
            if RawSocket.canConnect(socketPath) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw DaemonTestError(message: "pillboxd did not open its socket in time: \(output)")
    }

    /// Runs the daemon expecting it to exit on its own; returns its exit status.
    package func runToExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let process = try launch()
        guard let code = await process.exited(within: timeout) else {
            process.send(SIGTERM)
            _ = try await waitForExit(process)
            throw DaemonTestError(message: "pillboxd kept running: \(output)")
        }
        self.process = nil
        return code
    }

    private func launch() throws -> WatchedChild {
        var env = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "CREDENTIALS_DIRECTORY", "PILLBOX_CONFIG", "PILLBOX_DATA_DIR",
                    "PILLBOX_SOCKET", "PILLBOX_KEY_FILE", "PILLBOX_DEV", "MALLOC_ARENA_MAX"] {
            env.removeValue(forKey: key)
        }
        env.merge(environment) { $1 }
        let process = try WatchedChild(Self.binaryPath, baseArguments + arguments, environment: env,
                                       output: .append(outputPath), errors: .append(outputPath))
        self.process = process
        return process
    }

    /// Everything the daemon printed so far (all runs).
    package var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Sends SIGTERM and waits for a clean exit; returns the exit status.
    @discardableResult
    package func stop() async throws -> Int32 {
        guard let process else { return 0 }
        process.send(SIGTERM)
        return try await waitForExit(process)
    }

    /// Sends SIGKILL: no chance to flush or close anything.
    package func kill9() async throws {
        guard let process else { return }
        process.send(SIGKILL)
        _ = try await waitForExit(process)
    }

    package var pid: Int32? { process?.pid }

    private func waitForExit(_ process: WatchedChild) async throws -> Int32 {
        guard let code = await process.exited(within: .seconds(30)) else {
            // Not left running past the test (it would hold its socket and data folder); where
            // each of its threads was, as evidence.
            let threads = threadStates(pid: process.pid)
            process.send(SIGKILL)
            _ = await process.exited(within: .seconds(10))
            self.process = nil
            throw DaemonTestError(message: "pillboxd did not exit within 30 s; killed; its threads then: \(threads)")
        }
        self.process = nil
        return code
    }

    /// A client for this daemon's socket.
    package func client() -> LocalClient { LocalClient(socketPath: socketPath) }
}

package struct DaemonTestError: Error, CustomStringConvertible {
    package let message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}
