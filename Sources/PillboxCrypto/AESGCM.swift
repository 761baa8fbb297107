import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) through OpenSSL's EVP interface.
///
/// Sealed messages use the combined form `nonce (12 bytes) || ciphertext || tag (16 bytes)`.
/// Every call uses a fresh `EVP_CIPHER_CTX`, freed before returning, so the functions are safe to call from any
/// task or thread concurrently. To open many messages under one key in a row, use ``AESGCMOpener``, which
/// keeps one context (and its key schedule) for all of them.
package enum AESGCM {
    /// The nonce length in bytes (96 bits, the size GCM is designed for).
    package static let nonceByteCount = 12
    /// The authentication tag length in bytes (128 bits).
    package static let tagByteCount = 16
    /// The smallest possible sealed message: a nonce and a tag around an empty ciphertext.
    package static let minimumSealedByteCount = nonceByteCount + tagByteCount

    /// OpenSSL takes `int` lengths, so long inputs are fed in chunks of this size.
    static let chunkByteCount = 1 << 30

    /// AES-256-GCM fetched once from OpenSSL's default provider. Passing the legacy
    /// `EVP_aes_256_gcm()` to an init makes OpenSSL 3 fetch the implementation again on every
    /// call (a name look-up under a lock); a fetched cipher is used as it is. It is never
    /// freed, and OpenSSL allows one fetched cipher to be used by any number of threads.
    /// Falls back to the legacy handle should the fetch fail.
    nonisolated(unsafe) static let cipher: OpaquePointer = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) ?? EVP_aes_256_gcm()

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
        try initialize(context, key: key, nonce: nonce)
        try associatedData.withUnsafeBufferPointer { aad throws(CryptoError) in
            try update(context, encrypt: true, UnsafeRawBufferPointer(aad), into: nil)
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        try plaintext.withUnsafeBufferPointer { input throws(CryptoError) in
            try ciphertext.withUnsafeMutableBufferPointer { output throws(CryptoError) in
                try update(context, encrypt: true, UnsafeRawBufferPointer(input), into: output.baseAddress)
            }
        }
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
        let opener = try AESGCMOpener(key: key)
        return try combined.withUnsafeBufferPointer { sealed throws(CryptoError) in
            try associatedData.withUnsafeBufferPointer { aad throws(CryptoError) in
                try opener.open(UnsafeRawBufferPointer(sealed), associatedData: UnsafeRawBufferPointer(aad))
            }
        }
    }

    // MARK: - Steps on one EVP_CIPHER_CTX (the caller creates and frees it)

    private static func initialize(_ context: OpaquePointer, key: SecretKey, nonce: [UInt8]) throws(CryptoError) {
        guard EVP_EncryptInit_ex(context, cipher, nil, nil, nil) == 1 else {
            throw CryptoError.openssl("EVP_EncryptInit_ex (cipher)")
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonce.count), nil) == 1 else {
            throw CryptoError.openssl("EVP_CIPHER_CTX_ctrl (set IV length)")
        }
        let status = key.bytes.withUnsafeBufferPointer { keyPointer in
            nonce.withUnsafeBufferPointer { noncePointer in
                EVP_EncryptInit_ex(context, nil, nil, keyPointer.baseAddress, noncePointer.baseAddress)
            }
        }
        guard status == 1 else { throw CryptoError.openssl("EVP_EncryptInit_ex (key and nonce)") }
    }

    /// Feeds `input` to `EVP_EncryptUpdate` or `EVP_DecryptUpdate` in `int`-sized chunks. GCM
    /// writes as many bytes as it reads to `output`; a nil `output` feeds associated data.
    static func update(
        _ context: OpaquePointer, encrypt: Bool, _ input: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>?
    ) throws(CryptoError) {
        guard let base = input.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate
        var offset = 0
        while offset < input.count {
            let chunk = min(input.count - offset, chunkByteCount)
            var written: Int32 = 0
            guard update(context, output.map { $0 + offset }, &written, bytes + offset, Int32(chunk)) == 1,
                  output == nil || Int(written) == chunk else {
                let name = encrypt ? "EVP_EncryptUpdate" : "EVP_DecryptUpdate"
                throw CryptoError.openssl(output == nil ? name + " (AAD)" : name)
            }
            offset += chunk
        }
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
}
