import COpenSSL

/// A 256-bit symmetric key (exactly 32 bytes).
///
/// The key never prints its bytes: `description`, `debugDescription` and reflection
/// (`dump`, `Mirror`) all show `SecretKey(redacted)`. Use ``keyID`` to identify a key in
/// logs. Equality is checked in constant time.
package struct SecretKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The number of bytes in a key.
    package static let byteCount = 32

    private let storage: [UInt8]

    /// Creates a key from exactly 32 bytes.
    ///
    /// - Parameter bytes: The key material.
    /// - Throws: ``CryptoError`` with code `.invalidKeyLength` if `bytes.count != 32`.
    package init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == Self.byteCount else {
            throw CryptoError(
                code: .invalidKeyLength,
                message: "a secret key must be exactly \(Self.byteCount) bytes, got \(bytes.count)")
        }
        self.storage = bytes
    }

    /// Wraps bytes already known to be 32 bytes long (internal helpers only).
    init(uncheckedBytes bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "SecretKey requires \(Self.byteCount) bytes")
        self.storage = bytes
    }

    /// Generates a new key from OpenSSL's cryptographically secure random generator.
    package static func random() -> SecretKey {
        SecretKey(uncheckedBytes: SecureRandom.bytes(byteCount))
    }

    /// The raw key bytes. Handle with care: do not log or persist them unprotected.
    package var bytes: [UInt8] { storage }

    /// A short identifier that is safe to show: the first 8 bytes of SHA-256 of the key,
    /// as 16 lowercase hexadecimal characters.
    package var keyID: String {
        Hex.encode(Array(SHA256Digest.hash(storage).prefix(8)))
    }

    /// Always `SecretKey(redacted)`; never the key bytes.
    package var description: String { "SecretKey(redacted)" }

    /// Always `SecretKey(redacted)`; never the key bytes.
    package var debugDescription: String { "SecretKey(redacted)" }

    /// A mirror with no children, so `dump` and debuggers do not reveal the key bytes.
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Compares two keys in constant time (`CRYPTO_memcmp`).
    package static func == (lhs: SecretKey, rhs: SecretKey) -> Bool {
        guard lhs.storage.count == rhs.storage.count else { return false }
        return lhs.storage.withUnsafeBytes { left in
            rhs.storage.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
