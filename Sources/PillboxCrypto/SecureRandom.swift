import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's `RAND_bytes`.
package enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// This traps (`fatalError`) if OpenSSL's random generator fails. That only happens
    /// when OpenSSL cannot seed itself from the operating system, and continuing would
    /// mean producing predictable keys and nonces, which is worse than stopping.
    ///
    /// - Parameter count: The number of bytes to return (0 or more).
    package static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: count must not be negative")
        var result = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let chunk = min(count - offset, Int(Int32.max))
            let status = result.withUnsafeMutableBufferPointer { buffer in
                RAND_bytes(buffer.baseAddress! + offset, Int32(chunk))
            }
            guard status == 1 else {
                let error = CryptoError.openssl("RAND_bytes")
                fatalError("OpenSSL random generator failed; refusing to continue: \(error.message)")
            }
            offset += chunk
        }
        return result
    }
}
