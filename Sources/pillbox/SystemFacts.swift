#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// What `pillbox doctor` reads about files, users and groups (`lstat`, `getpwnam`, `getgrnam`).
enum SystemFacts {
    /// A file's type, owner, group and permission bits.
    struct FileInfo {
        var isDirectory: Bool
        var isRegular: Bool
        var isSocket: Bool
        var isSymlink: Bool
        var uid: UInt32
        var gid: UInt32
        var mode: UInt32
    }

    /// `lstat(path)`; nil with `errno`'s text when it fails.
    static func info(_ path: String) -> Result<FileInfo, SystemError> {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .failure(SystemError(String(cString: strerror(errno)), code: errno)) }
        let type = st.st_mode & S_IFMT
        return .success(FileInfo(isDirectory: type == S_IFDIR, isRegular: type == S_IFREG, isSocket: type == S_IFSOCK,
                                 isSymlink: type == S_IFLNK, uid: st.st_uid, gid: st.st_gid, mode: UInt32(st.st_mode) & 0o7777))
    }

    static func uid(ofUser name: String) -> UInt32? {
        if let number = UInt32(name) { return number }
        return getpwnam(name).map { $0.pointee.pw_uid }
    }

    static func gid(ofGroup name: String) -> UInt32? {
        if let number = UInt32(name) { return number }
        return getgrnam(name).map { $0.pointee.gr_gid }
    }

    static func userName(_ uid: UInt32) -> String {
        getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "\(uid)"
    }

    static func groupName(_ gid: UInt32) -> String {
        getgrgid(gid).map { String(cString: $0.pointee.gr_name) } ?? "\(gid)"
    }

    /// How a command run by `run(_:_:timeoutSeconds:)` ended.
    enum RunOutcome: Equatable {
        /// It exited with this code (a signal that ended it: its `terminationStatus`, not 0) and standard output.
        case exited(code: Int32, out: String)
        /// It is not an executable file, or could not be started.
        case cannotStart
        /// It had not ended after the time allowed, and was stopped with SIGKILL.
        case timedOut
    }

    /// Runs `executable` with `arguments` and waits for it at most `timeoutSeconds`: a command
    /// that hangs (timedatectl with D-Bus stuck) must not hang `pillbox doctor`. Its standard
    /// output is read once it has exited, so a command that writes more than a pipe holds (64 KiB)
    /// would time out: meant for short answers. Foundation's `Process` is safe here because it
    /// starts one child at a time (the tests left it for `posix_spawn` because children started
    /// at once by two threads can hide each other's exit).
    static func run(_ executable: String, _ arguments: [String], timeoutSeconds: Int) -> RunOutcome {
        guard FileManager.default.isExecutableFile(atPath: executable) else { return .cannotStart }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return .cannotStart }
        let deadline = Date().addingTimeInterval(Double(timeoutSeconds))
        while process.isRunning {
            guard Date() < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return .timedOut
            }
            usleep(10_000)
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        return .exited(code: process.terminationStatus, out: String(decoding: data, as: UTF8.self))
    }

    /// An error of a system call, with its `errno`.
    struct SystemError: Error {
        var message: String
        var code: Int32
        init(_ message: String, code: Int32) {
            self.message = message
            self.code = code
        }
    }
}
