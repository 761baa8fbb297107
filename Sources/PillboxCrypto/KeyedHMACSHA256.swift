import COpenSSL

/// HMAC-SHA256 under one key, keyed once: each code starts from a copy of the keyed context
/// (`EVP_MAC_CTX_dup`) instead of OpenSSL's one-shot `HMAC`, which fetches the algorithm and
/// hashes the key's pads on every call (about 21,000 instructions a call under callgrind;
/// a store computes several for each write and each audited read).
///
/// Safe to share between threads: the keyed context is only ever read (`EVP_MAC_CTX_dup`
/// takes a const pointer; openssl-threads(7)), and each code is computed in a copy of its own.
/// The context holds the key's pads, as secret as the key: it is freed (and OpenSSL clears
/// it) with this object, and never printed.
package final class KeyedHMACSHA256: @unchecked Sendable, CustomStringConvertible {
    private let keyed: OpaquePointer

    /// Keys a context with `key` (any length: longer than 64 bytes is hashed first, as RFC
    /// 2104 says). Traps only if OpenSSL cannot make an HMAC context: a broken installation.
    package init(key: [UInt8]) {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { fatalError("OpenSSL has no HMAC: \(CryptoError.openssl("EVP_MAC_fetch").message)") }
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { fatalError("OpenSSL HMAC context: \(CryptoError.openssl("EVP_MAC_CTX_new").message)") }
        // One-byte placeholder: OpenSSL wants a valid pointer for an empty key.
        let keyBuffer = key.isEmpty ? [0] : key
        let initialized = "digest".withCString { name in
            "SHA256".withCString { digest in
                var params = [OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digest), 0), OSSL_PARAM_construct_end()]
                return keyBuffer.withUnsafeBufferPointer { EVP_MAC_init(context, $0.baseAddress, key.count, &params) }
            }
        }
        guard initialized == 1 else {
            EVP_MAC_CTX_free(context)
            fatalError("OpenSSL HMAC-SHA256 could not be keyed: \(CryptoError.openssl("EVP_MAC_init").message)")
        }
        keyed = context
    }

    deinit { EVP_MAC_CTX_free(keyed) }

    /// The length of an HMAC-SHA256 code in bytes.
    package static let byteCount = 32

    /// The 32-byte HMAC-SHA256 of `message` under this object's key (RFC 2104; RFC 4231's
    /// codes in `KeyedHMACSHA256Tests`).
    package func authenticationCode(for message: [UInt8]) -> [UInt8] {
        guard let context = EVP_MAC_CTX_dup(keyed) else { fatalError("OpenSSL HMAC context copy failed") }
        defer { EVP_MAC_CTX_free(context) }
        var code = [UInt8](repeating: 0, count: Self.byteCount)
        var length = 0
        let done = message.withUnsafeBufferPointer { input in
            code.withUnsafeMutableBufferPointer { out in
                (input.isEmpty || EVP_MAC_update(context, input.baseAddress, input.count) == 1)
                    && EVP_MAC_final(context, out.baseAddress, &length, out.count) == 1
            }
        }
        guard done, length == Self.byteCount else {
            fatalError("OpenSSL HMAC-SHA256 failed: \(CryptoError.openssl("EVP_MAC_final").message)")
        }
        return code
    }

    /// Never the key: `KeyedHMACSHA256(redacted)`.
    package var description: String { "KeyedHMACSHA256(redacted)" }
}
