#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads the daemon's master key from a key file or a systemd credential.
///
/// Accepted content, for both sources: exactly 32 raw bytes, or exactly 64 hexadecimal
/// characters (either case). One trailing `"\n"` or `"\r\n"` is ignored in both forms.
/// The file must be a regular file owned by root or the user running the daemon; symbolic
/// links are refused so that the owner and permission checks apply to the file that is actually read (the file is opened with `O_NOFOLLOW`
/// and checked with `fstat` on the open descriptor, so nothing can swap it in between).
package enum MasterKeySource {
    /// The systemd credential name read by ``load(credentialsDirectory:)``.
    package static let credentialName = "pillbox-master-key"

    /// Key files larger than this are rejected as malformed without being read.
    static let maximumFileSize = 4096

    /// The users a key file or credential may belong to: root, and the user the process runs
    /// as (the service user). A key file owned by anyone else could have been written, or be
    /// rewritten, by that user, whatever its mode says.
    package static var defaultOwners: Set<UInt32> { [0, UInt32(geteuid())] }

    /// Loads the master key from a key file that only its owner may access.
    ///
    /// - Parameters:
    ///   - path: The key file, for example `/etc/pillbox/master.key`.
    ///   - allowedOwners: The uids the file may belong to; ``defaultOwners`` (root and the
    ///     user running the daemon) unless a test says otherwise.
    /// - Returns: The key.
    /// - Throws: ``KeyLoadError`` with code `.missing` if there is no file,
    ///   `.notRegularFile` for a directory, symbolic link or device, `.wrongOwner(uid:)` if
    ///   it belongs to another user, `.tooPermissive(mode:)` if any group or other permission
    ///   bit is set (`mode & 0o077 != 0`), `.malformed` if the content is not a key, `.io` if
    ///   it cannot be read.
    package static func load(keyFile path: String, allowedOwners: Set<UInt32> = defaultOwners) throws(KeyLoadError) -> SecretKey {
        try load(path: path, forbiddenModeBits: 0o077, isCredential: false, allowedOwners: allowedOwners)
    }

    /// Loads the master key from the systemd credential `pillbox-master-key`.
    ///
    /// systemd (`LoadCredential=`, `SetCredential=`, `LoadCredentialEncrypted=`…) places
    /// credentials in `$CREDENTIALS_DIRECTORY`, owned by root with mode 0400 or 0440: it may
    /// make a credential readable by the service's group so that a service running under
    /// `User=`/`Group=` can read it. The permission rule is therefore relaxed to refuse only
    /// bits for "other" users (`mode & 0o007 != 0`); group bits are allowed here.
    ///
    /// The owner rule is the same as for a key file: root or the user running the daemon.
    ///
    /// - Parameters:
    ///   - credentialsDirectory: The value of `$CREDENTIALS_DIRECTORY`.
    ///   - allowedOwners: The uids the credential may belong to (``defaultOwners``).
    /// - Returns: The key.
    /// - Throws: ``KeyLoadError`` as ``load(keyFile:allowedOwners:)``, with the relaxed permission rule.
    package static func load(credentialsDirectory: String,
                            allowedOwners: Set<UInt32> = defaultOwners) throws(KeyLoadError) -> SecretKey {
        let separator = credentialsDirectory.hasSuffix("/") ? "" : "/"
        let path = credentialsDirectory + separator + credentialName
        return try load(path: path, forbiddenModeBits: 0o007, isCredential: true, allowedOwners: allowedOwners)
    }

    // MARK: - Implementation

    private static func load(path: String, forbiddenModeBits: UInt32, isCredential: Bool,
                             allowedOwners: Set<UInt32>) throws(KeyLoadError) -> SecretKey {
        let noun = isCredential ? "credential" : "key file"
        // O_NONBLOCK: opening a FIFO must not hang; it is refused as not regular below.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            throw openError(path: path, errno: code, noun: noun, isCredential: isCredential)
        }
        defer { close(descriptor) }

        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ioError(path: path, operation: "cannot inspect \(noun)", errno: errno)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw KeyLoadError(
                code: .notRegularFile, path: path,
                message: "\(noun) \(path) is not a regular file; it must be a plain file containing the key")
        }
        guard allowedOwners.contains(UInt32(info.st_uid)) else {
            throw ownerError(path: path, owner: UInt32(info.st_uid), noun: noun)
        }
        let mode = UInt32(info.st_mode) & 0o7777
        guard mode & forbiddenModeBits == 0 else {
            throw permissiveError(path: path, mode: mode, isCredential: isCredential)
        }
        guard Int(info.st_size) <= maximumFileSize else {
            throw malformedError(path: path, noun: noun, size: Int(info.st_size))
        }
        let content = try readAll(descriptor, path: path, noun: noun)
        guard let key = parseKey(content) else {
            throw malformedError(path: path, noun: noun, size: content.count)
        }
        return key
    }

    /// Parses 32 raw bytes or 64 hex characters, each optionally followed by one `\n` or `\r\n`.
    ///
    /// The content is tried as is first, so a raw key whose last byte is `0x0a` still loads.
    /// The lengths of the two forms are far apart, so no content can parse both ways.
    static func parseKey(_ content: [UInt8]) -> SecretKey? {
        var candidates = [content]
        if content.last == UInt8(ascii: "\n") {
            candidates.append(Array(content.dropLast()))
            if content.count >= 2, content[content.count - 2] == UInt8(ascii: "\r") {
                candidates.append(Array(content.dropLast(2)))
            }
        }
        for candidate in candidates {
            if candidate.count == SecretKey.byteCount {
                return SecretKey(uncheckedBytes: candidate)
            }
            if candidate.count == 2 * SecretKey.byteCount, let bytes = Hex.decode(utf8: candidate) {
                return SecretKey(uncheckedBytes: bytes)
            }
        }
        return nil
    }

    private static func readAll(_ descriptor: Int32, path: String, noun: String) throws(KeyLoadError) -> [UInt8] {
        var content = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: maximumFileSize + 1)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError(path: path, operation: "cannot read \(noun)", errno: errno)
            }
            if count == 0 { break }
            content.append(contentsOf: buffer[0..<count])
            if content.count > maximumFileSize { break }  // grew after fstat; malformed anyway
        }
        for index in buffer.indices { buffer[index] = 0 }
        return content
    }

    // MARK: - Error messages (never include the file's content)

    private static func openError(path: String, errno code: Int32, noun: String, isCredential: Bool) -> KeyLoadError {
        switch code {
        case ENOENT where isCredential:
            return KeyLoadError(
                code: .missing, path: path,
                message: "systemd credential \(credentialName) not found at \(path); add "
                    + "LoadCredential=\(credentialName):/etc/pillbox/master.key (or LoadCredentialEncrypted=) "
                    + "to the service unit and restart it")
        case ENOENT:
            return KeyLoadError(
                code: .missing, path: path,
                message: "key file \(path) does not exist; install the device's master key there "
                    + "(32 raw bytes or 64 hex characters, owned by the service user, mode 0600)")
        case ELOOP:
            return KeyLoadError(
                code: .notRegularFile, path: path,
                message: "\(noun) \(path) is a symbolic link; point the configuration at the real file")
        default:
            return ioError(path: path, operation: "cannot open \(noun)", errno: code)
        }
    }

    private static func permissiveError(path: String, mode: UInt32, isCredential: Bool) -> KeyLoadError {
        let octal = formatMode(mode)
        let message: String
        if isCredential {
            message = "credential \(path) is accessible by other users (mode \(octal)); systemd credentials "
                + "must grant nothing to others: run: chmod o-rwx \(path), or fix how the credential is provided"
        } else {
            let access = mode & 0o044 != 0 ? "readable" : "accessible"
            message = "key file \(path) is \(access) by group or others (mode \(octal)); run: chmod 600 \(path)"
        }
        return KeyLoadError(code: .tooPermissive(mode: mode), path: path, message: message)
    }

    private static func ownerError(path: String, owner: UInt32, noun: String) -> KeyLoadError {
        let user = UInt32(geteuid())
        let fix = user == 0 ? "chown root: \(path)" : "chown root: \(path) (or chown \(user) \(path), the daemon's user)"
        return KeyLoadError(
            code: .wrongOwner(uid: owner), path: path,
            message: "\(noun) \(path) belongs to uid \(owner), neither root nor the daemon's user (uid \(user)); "
                + "another user could replace the key: run: \(fix), then check the key is the right one")
    }

    private static func malformedError(path: String, noun: String, size: Int) -> KeyLoadError {
        KeyLoadError(
            code: .malformed, path: path,
            message: "\(noun) \(path) is malformed: expected exactly 32 raw bytes or 64 hexadecimal characters, "
                + "optionally followed by one newline, but the file has \(size) bytes that do not match; "
                + "restore the correct key file")
    }

    static func ioError(path: String, operation: String, errno code: Int32) -> KeyLoadError {
        let reason = String(cString: strerror(code))
        let hint = code == EACCES ? "; check that the service user owns the file" : ""
        return KeyLoadError(code: .io, path: path, message: "\(operation) \(path): \(reason)\(hint)")
    }

    /// Formats permission bits as four octal digits, e.g. `0644`.
    static func formatMode(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
