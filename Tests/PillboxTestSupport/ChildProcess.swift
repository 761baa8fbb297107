import Foundation

/// Runs a program to its end on a thread of its own, so that a test waiting for it does not
/// hold one of the few threads of Swift's task pool (on a 2-core machine, two tests blocked in
/// `waitUntilExit` stall every in-process server and uploader of the whole test run).
package enum ChildProcess {
    /// Runs `executable` with `arguments` and `environment` (nil: this process's); its exit
    /// code, stdout and stderr.
    package static func run(_ executable: String, _ arguments: [String],
                            environment: [String: String]? = nil) async throws -> (code: Int32, out: String, err: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Spawn.run(executable, arguments, environment: environment) })
            }
        }
    }
}
