#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension MasterKeySource {
    /// Creates a new random master key file for development and returns the key.
    ///
    /// The file gets 64 lowercase hex characters and `"\n"`, mode 0600, and appears
    /// atomically: the key is written to a temporary file in the same directory (created
    /// with `O_CREAT | O_EXCL`, mode 0600), flushed with `fsync`, hard-linked into place
    /// (which, unlike `rename`, fails if the target exists), and the directory is `fsync`ed.
    /// On file systems without hard links it falls back to `rename` after a last existence check.
    ///
    /// - Parameters:
    ///   - path: Where to create the key file.
    ///   - key: The key to write; a new random key by default. The daemon generates the key
    ///     first, checks it against the data folder, and writes it only then, so that a
    ///     refused start writes no key.
    /// - Returns: The key written.
    /// - Throws: ``KeyLoadError`` `.alreadyExists` if anything exists at `path` (an existing
    ///   key is never overwritten), `.io` if the file cannot be written.
    @discardableResult
    package static func createDevKey(at path: String, key: SecretKey = .random()) throws(KeyLoadError) -> SecretKey {
        var existing = stat()
        guard lstat(path, &existing) != 0 else { throw alreadyExistsError(path) }

        let (directory, name) = split(path)
        guard !name.isEmpty else {
            throw KeyLoadError(code: .io, path: path, message: "\(path) is not a file path; give a file name")
        }
        let temporary = directory + "/." + name + ".tmp-" + Hex.encode(SecureRandom.bytes(8))
        var content = Array((Hex.encode(key.bytes) + "\n").utf8)
        defer { for index in content.indices { content[index] = 0 } }

        try writeNewFile(temporary, content: content, finalPath: path)
        defer { unlink(temporary) }

        if link(temporary, path) != 0 {
            let code = errno
            switch code {
            case EEXIST:
                throw alreadyExistsError(path)
            case EPERM, ENOSYS, EOPNOTSUPP, EXDEV:
                // No hard links on this file system: check once more, then rename.
                guard lstat(path, &existing) != 0 else { throw alreadyExistsError(path) }
                guard rename(temporary, path) == 0 else {
                    throw ioError(path: path, operation: "cannot move new key file into place at", errno: errno)
                }
            default:
                throw ioError(path: path, operation: "cannot move new key file into place at", errno: code)
            }
        }
        try syncDirectory(directory, finalPath: path)
        return key
    }

    /// Creates `temporary` exclusively with mode 0600, writes `content` and `fsync`s it.
    private static func writeNewFile(_ temporary: String, content: [UInt8], finalPath: String) throws(KeyLoadError) {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw ioError(path: finalPath, operation: "cannot create a temporary file next to", errno: errno)
        }
        var failure: KeyLoadError?
        // The umask can only remove bits, but set 0600 explicitly in case it removed owner bits.
        if fchmod(descriptor, 0o600) != 0 {
            failure = ioError(path: finalPath, operation: "cannot set mode 0600 on new key file for", errno: errno)
        }
        var offset = 0
        while failure == nil, offset < content.count {
            let written = content.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = ioError(path: finalPath, operation: "cannot write new key file for", errno: errno)
            } else {
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 {
            failure = ioError(path: finalPath, operation: "cannot flush new key file for", errno: errno)
        }
        if close(descriptor) != 0, failure == nil {
            failure = ioError(path: finalPath, operation: "cannot close new key file for", errno: errno)
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    private static func syncDirectory(_ directory: String, finalPath: String) throws(KeyLoadError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ioError(path: finalPath, operation: "cannot open the directory to flush", errno: errno)
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw ioError(path: finalPath, operation: "cannot flush the directory of", errno: errno)
        }
    }

    /// Splits a path into its directory (`.` if none) and last component.
    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func alreadyExistsError(_ path: String) -> KeyLoadError {
        KeyLoadError(
            code: .alreadyExists, path: path,
            message: "refusing to overwrite existing key file \(path); data encrypted under it would become "
                + "unreadable. Remove it yourself only if you are sure it is not needed")
    }
}
