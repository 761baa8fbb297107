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

    /// Runs `executable` with `arguments`; its exit code and standard output, or nil when it
    /// cannot be started.
    static func run(_ executable: String, _ arguments: [String]) -> (code: Int32, out: String)? {
        guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
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
