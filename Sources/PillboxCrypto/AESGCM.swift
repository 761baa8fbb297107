import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) through OpenSSL's EVP interface.
///
/// Sealed messages use the combined form `nonce (12 bytes) || ciphertext || tag (16 bytes)`.
/// Every call uses a fresh `EVP_CIPHER_CTX`, freed before returning, so the functions are safe to call from any
/// task or thread concurrently.
package enum AESGCM {
    /// The nonce length in bytes (96 bits, the size GCM is designed for).
    package static let nonceByteCount = 12
    /// The authentication tag length in bytes (128 bits).
    package static let tagByteCount = 16
    /// The smallest possible sealed message: a nonce and a tag around an empty ciphertext.
    package static let minimumSealedByteCount = nonceByteCount + tagByteCount

    /// OpenSSL takes `int` lengths, so long inputs are fed in chunks of this size.
    private static let chunkByteCount = 1 << 30

    /// Encrypts and authenticates `plaintext`, and authenticates `associatedData`.
    ///
    /// - Parameters:
    ///   - plaintext: The data to encrypt (may be empty).
    ///   - key: The 256-bit key.
    ///   - associatedData: Data that is authenticated but not encrypted (may be empty);
    ///     the same bytes must be given to ``open(_:key:associatedData:)``.
    ///   - nonce: Leave `nil` (the default) to use a fresh random 96-bit nonce. An explicit
    ///     12-byte nonce exists only to reproduce published test vectors: reusing a nonce
    ///     with the same key destroys GCM's security.
    /// - Returns: `nonce || ciphertext || tag`, 28 bytes longer than `plaintext`.
    /// - Throws: ``CryptoError`` `.invalidNonceLength` for a nonce that is not 12 bytes,
    ///   `.openssl` if OpenSSL fails.
    package static func seal(
        _ plaintext: [UInt8], key: SecretKey, associatedData: [UInt8], nonce: [UInt8]? = nil
    ) throws(CryptoError) -> [UInt8] {
        let nonce = nonce ?? SecureRandom.bytes(nonceByteCount)
        guard nonce.count == nonceByteCount else {
            throw CryptoError(
                code: .invalidNonceLength,
                message: "an AES-GCM nonce must be \(nonceByteCount) bytes, got \(nonce.count)")
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openssl("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        try initialize(context, encrypt: true, key: key, nonce: nonce)
        try addAssociatedData(context, encrypt: true, associatedData)
        let ciphertext = try transform(context, encrypt: true, plaintext)
        try finishEncryption(context)
        let tag = try tag(context)
        return nonce + ciphertext + tag
    }

    /// Verifies and decrypts a message produced by ``seal(_:key:associatedData:nonce:)``.
    ///
    /// No plaintext is returned unless the tag verifies.
    ///
    /// - Parameters:
    ///   - combined: `nonce (12) || ciphertext || tag (16)`.
    ///   - key: The key used to seal.
    ///   - associatedData: The associated data given when sealing.
    /// - Returns: The plaintext.
    /// - Throws: ``CryptoError`` `.malformedCiphertext` if `combined` is shorter than 28 bytes,
    ///   `.authenticationFailed` if the tag does not verify (wrong key, wrong associated data,
    ///   or modified bytes), `.openssl` if OpenSSL fails otherwise.
    package static func open(
        _ combined: [UInt8], key: SecretKey, associatedData: [UInt8]
    ) throws(CryptoError) -> [UInt8] {
        guard combined.count >= minimumSealedByteCount else {
            throw CryptoError(
                code: .malformedCiphertext,
                message: "a sealed message is at least \(minimumSealedByteCount) bytes, got \(combined.count)")
        }
        let nonce = Array(combined[0..<nonceByteCount])
        let ciphertext = Array(combined[nonceByteCount..<(combined.count - tagByteCount)])
        let tag = Array(combined[(combined.count - tagByteCount)...])

        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openssl("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        try initialize(context, encrypt: false, key: key, nonce: nonce)
        try addAssociatedData(context, encrypt: false, associatedData)
        var plaintext = try transform(context, encrypt: false, ciphertext)
        try setExpectedTag(context, tag)
        guard finishDecryption(context) else {
            // Do not leave unauthenticated plaintext lying around in memory.
            for index in plaintext.indices { plaintext[index] = 0 }
            throw CryptoError(
                code: .authenticationFailed,
                message: "AES-GCM authentication failed: wrong key or associated data, or the message was modified")
        }
        return plaintext
    }

    // MARK: - Steps on one EVP_CIPHER_CTX (the caller creates and frees it)

    private static func initialize(
        _ context: OpaquePointer, encrypt: Bool, key: SecretKey, nonce: [UInt8]
    ) throws(CryptoError) {
        let initialize = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex
        guard initialize(context, EVP_aes_256_gcm(), nil, nil, nil) == 1 else {
            throw CryptoError.openssl("EVP_CipherInit_ex (cipher)")
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonce.count), nil) == 1 else {
            throw CryptoError.openssl("EVP_CIPHER_CTX_ctrl (set IV length)")
        }
        let status = key.bytes.withUnsafeBufferPointer { keyPointer in
            nonce.withUnsafeBufferPointer { noncePointer in
                initialize(context, nil, nil, keyPointer.baseAddress, noncePointer.baseAddress)
            }
        }
        guard status == 1 else { throw CryptoError.openssl("EVP_CipherInit_ex (key and nonce)") }
    }

    /// Feeds associated data (an update with a null output buffer), in `int`-sized chunks.
    private static func addAssociatedData(
        _ context: OpaquePointer, encrypt: Bool, _ associatedData: [UInt8]
    ) throws(CryptoError) {
        let update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate
        var offset = 0
        while offset < associatedData.count {
            let chunk = min(associatedData.count - offset, chunkByteCount)
            var written: Int32 = 0
            let status = associatedData.withUnsafeBufferPointer { input in
                update(context, nil, &written, input.baseAddress! + offset, Int32(chunk))
            }
            guard status == 1 else {
                throw CryptoError.openssl(encrypt ? "EVP_EncryptUpdate (AAD)" : "EVP_DecryptUpdate (AAD)")
            }
            offset += chunk
        }
    }

    /// Encrypts or decrypts `input` in `int`-sized chunks; GCM output is as long as its input.
    private static func transform(
        _ context: OpaquePointer, encrypt: Bool, _ input: [UInt8]
    ) throws(CryptoError) -> [UInt8] {
        let update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate
        var output = [UInt8](repeating: 0, count: input.count)
        var offset = 0
        while offset < input.count {
            let chunk = min(input.count - offset, chunkByteCount)
            var written: Int32 = 0
            let status = input.withUnsafeBufferPointer { inPointer in
                output.withUnsafeMutableBufferPointer { outPointer in
                    update(
                        context, outPointer.baseAddress! + offset, &written,
                        inPointer.baseAddress! + offset, Int32(chunk))
                }
            }
            guard status == 1, Int(written) == chunk else {
                throw CryptoError.openssl(encrypt ? "EVP_EncryptUpdate" : "EVP_DecryptUpdate")
            }
            offset += chunk
        }
        return output
    }

    private static func finishEncryption(_ context: OpaquePointer) throws(CryptoError) {
        var written: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: tagByteCount)
        let status = scratch.withUnsafeMutableBufferPointer { out in
            EVP_EncryptFinal_ex(context, out.baseAddress, &written)
        }
        guard status == 1, written == 0 else { throw CryptoError.openssl("EVP_EncryptFinal_ex") }
    }

    private static func tag(_ context: OpaquePointer) throws(CryptoError) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        let status = tag.withUnsafeMutableBytes { out in
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(out.count), out.baseAddress)
        }
        guard status == 1 else { throw CryptoError.openssl("EVP_CIPHER_CTX_ctrl (get tag)") }
        return tag
    }

    private static func setExpectedTag(_ context: OpaquePointer, _ tag: [UInt8]) throws(CryptoError) {
        var mutableTag = tag  // EVP_CTRL_GCM_SET_TAG takes a mutable pointer.
        let status = mutableTag.withUnsafeMutableBytes { tagPointer in
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagPointer.count), tagPointer.baseAddress)
        }
        guard status == 1 else { throw CryptoError.openssl("EVP_CIPHER_CTX_ctrl (set tag)") }
    }

    /// Returns `false` when the tag does not verify (`EVP_DecryptFinal_ex` <= 0).
    private static func finishDecryption(_ context: OpaquePointer) -> Bool {
        var written: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: tagByteCount)
        let status = scratch.withUnsafeMutableBufferPointer { out in
            EVP_DecryptFinal_ex(context, out.baseAddress, &written)
        }
        ERR_clear_error()
        return status > 0
    }
}
