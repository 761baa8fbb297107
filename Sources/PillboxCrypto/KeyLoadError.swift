/// Why a master key could not be loaded or created.
///
/// ``message`` is written for the technician installing the device: it names the file and
/// says what to do. It never contains the key or the file's content.
package struct KeyLoadError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure.
    package enum Code: Sendable, Equatable {
        /// The key file (or systemd credential) does not exist.
        case missing
        /// The path exists but is not a regular file (a directory, a symbolic link, a device…).
        case notRegularFile
        /// Group or other users have permission bits on the file; `mode` is its permission
        /// bits (for example `0o644`).
        case tooPermissive(mode: UInt32)
        /// The file belongs to a user other than root and the user running the daemon; `uid`
        /// is its owner.
        case wrongOwner(uid: UInt32)
        /// The content is not 32 raw bytes or 64 hexadecimal characters (plus one optional newline).
        case malformed
        /// ``MasterKeySource/createDevKey(at:)`` found a file already at the path.
        case alreadyExists
        /// Reading or writing failed (permission denied, I/O error…); see the message.
        case io
    }

    /// The kind of failure.
    package let code: Code
    /// The file the error is about.
    package let path: String
    /// What went wrong and how to fix it; safe to log.
    package let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - path: The file the error is about.
    ///   - message: What went wrong and what to do; must not contain key material.
    package init(code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// The ``message``.
    package var description: String { message }
}
