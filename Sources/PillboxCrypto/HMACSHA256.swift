import COpenSSL

/// HMAC-SHA256 (RFC 2104) through OpenSSL's one-shot `HMAC` function.
package enum HMACSHA256 {
    /// The length of an HMAC-SHA256 code in bytes.
    package static let byteCount = 32

    /// Returns the 32-byte HMAC-SHA256 of `message` under `key`.
    ///
    /// Keys of any length are accepted: longer than 64 bytes are hashed first, shorter are
    /// zero-padded, as RFC 2104 specifies. Traps only if OpenSSL's HMAC itself fails, which
    /// indicates a broken OpenSSL installation.
    ///
    /// - Parameters:
    ///   - message: The data to authenticate.
    ///   - key: The secret key.
    package static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        precondition(key.count <= Int(Int32.max), "HMACSHA256: key too long")
        var code = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        // One-byte placeholders give OpenSSL valid pointers for empty inputs.
        let keyBuffer = key.isEmpty ? [0] : key
        let messageBuffer = message.isEmpty ? [0] : message
        let result = keyBuffer.withUnsafeBytes { keyPointer in
            messageBuffer.withUnsafeBufferPointer { messagePointer in
                code.withUnsafeMutableBufferPointer { out in
                    HMAC(
                        EVP_sha256(), keyPointer.baseAddress, Int32(key.count),
                        messagePointer.baseAddress, message.count, out.baseAddress, &length)
                }
            }
        }
        guard result != nil, Int(length) == byteCount else {
            fatalError("OpenSSL HMAC-SHA256 failed: \(CryptoError.openssl("HMAC").message)")
        }
        return code
    }
}
