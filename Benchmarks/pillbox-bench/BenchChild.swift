import Foundation
import PillboxTestSupport

/// The programs the bench starts and waits for, through `posix_spawn` and `waitpid`
/// (PillboxTestSupport), not Foundation's `Process`, which on Linux can miss a child's end
/// and then wait for ever (swift-corelibs-foundation issue 4795; the tests and drills left it
/// for that reason).
enum BenchChild {
    /// A program next to this binary (`pillboxd`, `pillbox-central-sim`: the same build).
    static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// `pillboxd` on `folder` (`data/`, `master.key`, `pillbox.json`; its socket at `folder/s`),
    /// once its socket takes connections. Its log goes to /dev/null.
    static func daemon(_ folder: String, within limit: Duration) throws -> WatchedChild {
        let child = try WatchedChild(sibling("pillboxd"), [
            "--data-dir", folder + "/data", "--socket", folder + "/s", "--key-file", folder + "/master.key",
            "--config", folder + "/pillbox.json", "--log-level", "error",
        ], output: .discard, errors: .discard)
        let deadline = ContinuousClock.now + limit
        while !RawSocket.canConnect(folder + "/s") {
            guard child.exitCode() == nil, ContinuousClock.now < deadline else {
                child.stop()
                throw BenchError("pillboxd did not open its socket (build it: swift build -c release)")
            }
            usleep(50_000)
        }
        return child
    }
}

extension WatchedChild {
    /// SIGTERM, and waits for the exit (SIGKILL after 60 s).
    func stop() {
        send(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(60)
        while exitCode() == nil {
            if ContinuousClock.now > deadline { send(SIGKILL) }
            usleep(5_000)
        }
    }
}

/// Runs other programs to their end.
enum Shell {
    /// Its exit status; what it printed goes into the error when it fails.
    static func run(_ executable: String, _ arguments: [String]) throws -> (code: Int32, output: String) {
        let result = try Spawn.run(executable, arguments, mergeErrors: true)
        return (result.code, result.out)
    }

    /// What it printed on standard output; an error naming its exit status and standard error when that is not 0.
    static func capture(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let result = try Spawn.run(executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        guard result.code == 0 else { throw BenchError("\(executable) exited with \(result.code): \(result.err)") }
        return result.out
    }
}
