/// Protects a ``SecretKey`` under a master key, for storing data keys at rest.
///
/// A wrapped key is the AES-256-GCM sealed form (``AESGCM``) of the 32 key bytes, with
/// associated data `"pillbox-keywrap-v1:" + label` (UTF-8): 60 bytes in total. The label
/// binds the wrapped key to its purpose, so a key wrapped under one label cannot be
/// unwrapped under another.
package enum KeyWrap {
    /// The length of a wrapped key: 12-byte nonce, 32 encrypted key bytes, 16-byte tag.
    package static let wrappedByteCount = AESGCM.nonceByteCount + SecretKey.byteCount + AESGCM.tagByteCount

    /// Wraps `key` under `master`.
    ///
    /// - Parameters:
    ///   - key: The key to protect.
    ///   - master: The key-encryption key.
    ///   - label: What the key is for; the same label must be given to ``unwrap(_:with:label:)``.
    /// - Returns: 60 bytes, `nonce || encrypted key || tag`.
    /// - Throws: ``CryptoError`` `.openssl` if OpenSSL fails.
    package static func wrap(_ key: SecretKey, with master: SecretKey, label: String) throws(CryptoError) -> [UInt8] {
        try AESGCM.seal(key.bytes, key: master, associatedData: associatedData(label))
    }

    /// Unwraps a key produced by ``wrap(_:with:label:)``.
    ///
    /// - Parameters:
    ///   - wrapped: The 60-byte wrapped key.
    ///   - master: The key-encryption key used to wrap.
    ///   - label: The label used to wrap.
    /// - Returns: The original key.
    /// - Throws: ``CryptoError`` `.malformedCiphertext` if `wrapped` is not 60 bytes,
    ///   `.authenticationFailed` for a wrong master key, a wrong label or modified bytes.
    package static func unwrap(_ wrapped: [UInt8], with master: SecretKey, label: String) throws(CryptoError) -> SecretKey {
        guard wrapped.count == wrappedByteCount else {
            throw CryptoError(
                code: .malformedCiphertext,
                message: "a wrapped key is \(wrappedByteCount) bytes, got \(wrapped.count)")
        }
        let bytes = try AESGCM.open(wrapped, key: master, associatedData: associatedData(label))
        return try SecretKey(bytes: bytes)
    }

    private static func associatedData(_ label: String) -> [UInt8] {
        Array(("pillbox-keywrap-v1:" + label).utf8)
    }
}
