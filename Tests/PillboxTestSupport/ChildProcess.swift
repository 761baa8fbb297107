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
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    if let environment { process.environment = environment }
                    let out = Pipe()
                    let err = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    try process.run()
                    // stderr is drained on another thread so that neither pipe can fill and block the child.
                    let errorReader = err.fileHandleForReading
                    nonisolated(unsafe) var errorData = Data()
                    let drained = DispatchSemaphore(value: 0)
                    Thread.detachNewThread {
                        errorData = errorReader.readDataToEndOfFile()
                        drained.signal()
                    }
                    let output = out.fileHandleForReading.readDataToEndOfFile()
                    drained.wait()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: output, as: UTF8.self),
                                                    String(decoding: errorData, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
