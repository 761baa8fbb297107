import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`, for the tests' short
/// commands (openssl, curl, the `pillbox` tool).
///
/// Not Foundation's `Process`: on Linux it learns that a child ended when a socket the child
/// inherited is closed, and a child started at the same moment by another thread can inherit
/// that socket too, so the end of the first is never seen: `waitUntilExit()` then spins on its
/// run loop for ever beside a zombie (swift-corelibs-foundation issue 4795). A full test run
/// hung that way, two threads of a 2-core task pool held: `TestCertificates` waiting for an
/// openssl that had exited, and a test closing its store behind it.
package struct SpawnedChild: Sendable {
    package let pid: pid_t
    /// Our end of the child's stdout (and stderr when merged), or -1 when not captured.
    let output: Int32
    let errors: Int32

    /// Where one of the child's output streams goes.
    package enum Stream: Sendable, Equatable {
        /// To us, read by `finish()`.
        case capture
        /// To /dev/null.
        case discard
        /// Appended to the file at this path (created if missing), as a daemon's log is.
        case append(String)
    }

    /// Starts `executable` (a path) with `arguments`; stdin is /dev/null. `environment` nil:
    /// this process's. `mergeErrors`: stderr goes wherever stdout goes. The capturing sockets
    /// are close-on-exec, so no other child inherits them. The child starts with every signal
    /// at its default action and none blocked, whatever this process ignores or blocks (a
    /// child inherits ignored signals: SIGTERM was seen not to end one).
    package static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                              output: Stream = .capture, errors: Stream = .capture, mergeErrors: Bool = false) throws -> SpawnedChild {
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        if output == .capture { try closeOnExecPair(&out) }
        if errors == .capture && !mergeErrors { try closeOnExecPair(&err) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        func direct(_ stream: Stream, to fd: Int32, pair: [Int32]) {
            switch stream {
            case .capture: posix_spawn_file_actions_adddup2(&actions, pair[1], fd)
            case .discard: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .append(let path): posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
            }
        }
        direct(output, to: 1, pair: out)
        if mergeErrors { posix_spawn_file_actions_adddup2(&actions, 1, 2) } else { direct(errors, to: 2, pair: err) }
        // Then nothing else of ours goes to the child (after the dup2s, which read from ours): a
        // server connection it held would not close when the test's server closes it (the TLS
        // test's dropped connection lasted as long as a curl started beside it). Foundation's
        // Process closes them too. glibc 2.34+, not visible to Swift, hence dlsym (RTLD_DEFAULT
        // is the null handle).
        if let closeFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
            _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = (environment ?? ProcessInfo.processInfo.environment)
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for fd in [out[1], err[1]] where fd >= 0 { close(fd) }
        guard result == 0 else {
            for fd in [out[0], err[0]] where fd >= 0 { close(fd) }
            throw DaemonTestError(message: "cannot start \(executable): errno \(result)")
        }
        return SpawnedChild(pid: pid, output: out[0], errors: err[0])
    }

    /// A connected pair, close-on-exec from its creation (no window in which another thread's
    /// child could inherit it; `pipe2` is not visible to Swift here).
    private static func closeOnExecPair(_ fds: inout [Int32]) throws {
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw DaemonTestError(message: "socketpair failed: errno \(errno)")
        }
    }

    /// Sends `signal` to the child.
    package func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

    /// Reads the captured streams to their end (both at once, so neither pipe fills and blocks
    /// the child), then reaps the child; its exit code (128 + the signal when killed).
    package func finish() -> (code: Int32, out: String, err: String) {
        nonisolated(unsafe) var errorData = Data()
        let drained = DispatchSemaphore(value: 0)
        let errorsFD = errors
        Thread.detachNewThread {
            if errorsFD >= 0 { errorData = Self.readAll(errorsFD) }
            drained.signal()
        }
        let outputData = output >= 0 ? Self.readAll(output) : Data()
        drained.wait()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (Self.exitCode(status: status), String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    /// The exit code of a `waitpid` status: the code the child exited with, or 128 + the signal
    /// that killed it (as a shell reports it).
    static func exitCode(status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func readAll(_ fd: Int32) -> Data {
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 { data.append(contentsOf: buffer[0..<n]) } else if n < 0 && errno == EINTR { continue } else { return data }
        }
    }
}

package enum Spawn {
    /// Runs `executable` with `arguments` to its end on the calling thread; its exit code,
    /// stdout and stderr (stderr folded into stdout when `mergeErrors`).
    package static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                            mergeErrors: Bool = false) throws -> (code: Int32, out: String, err: String) {
        try SpawnedChild.start(executable, arguments, environment: environment, mergeErrors: mergeErrors).finish()
    }
}
