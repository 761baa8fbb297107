import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's `EVP_Digest`.
package enum SHA256Digest {
    /// The length of a SHA-256 digest in bytes.
    package static let byteCount = 32

    /// Returns the 32-byte SHA-256 digest of `bytes`.
    ///
    /// Traps only if OpenSSL's SHA-256 implementation itself fails, which indicates a broken
    /// OpenSSL installation rather than a condition a caller could handle.
    package static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        // A one-byte placeholder gives OpenSSL a valid pointer for empty input.
        let input = bytes.isEmpty ? [0] : bytes
        let status = input.withUnsafeBytes { data in
            digest.withUnsafeMutableBufferPointer { out in
                EVP_Digest(data.baseAddress, bytes.count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard status == 1, Int(length) == byteCount else {
            fatalError("OpenSSL SHA-256 failed: \(CryptoError.openssl("EVP_Digest").message)")
        }
        return digest
    }
}
