import COpenSSL

/// An error thrown by the cryptographic operations in this module.
///
/// The error carries a machine-readable ``code`` and a human-readable ``message``.
/// Neither ever contains key bytes, plaintext or other secret material.
package struct CryptoError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure.
    package enum Code: Sendable, Equatable {
        /// A key had the wrong number of bytes (a ``SecretKey`` is exactly 32 bytes).
        case invalidKeyLength
        /// An explicit AES-GCM nonce was not exactly 12 bytes.
        case invalidNonceLength
        /// The authentication tag did not verify: wrong key, wrong associated data,
        /// or the ciphertext, nonce or tag was modified.
        case authenticationFailed
        /// The input is too short or otherwise cannot be a sealed message.
        case malformedCiphertext
        /// An OpenSSL call failed unexpectedly; ``CryptoError/message`` holds OpenSSL's error string.
        case openssl
    }

    /// The kind of failure.
    package let code: Code
    /// A readable explanation, safe to log (never contains secret bytes).
    package let message: String

    /// Creates an error from a code and a message.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A readable explanation. It must not contain secret material.
    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message, prefixed with the error kind.
    package var description: String {
        "CryptoError(\(code)): \(message)"
    }

    /// Builds an `.openssl` error for a failed call, draining OpenSSL's (per-thread) error queue.
    ///
    /// Call this immediately after the failing OpenSSL function, with no `await` in between,
    /// because the queue belongs to the current thread.
    static func openssl(_ operation: String) -> CryptoError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else {
            return CryptoError(code: .openssl, message: "\(operation) failed (no OpenSSL error recorded)")
        }
        var buffer = [CChar](repeating: 0, count: 256)
        let text = buffer.withUnsafeMutableBufferPointer { pointer -> String in
            ERR_error_string_n(code, pointer.baseAddress, pointer.count)
            return String(cString: pointer.baseAddress!)
        }
        return CryptoError(code: .openssl, message: "\(operation) failed: \(text)")
    }
}
