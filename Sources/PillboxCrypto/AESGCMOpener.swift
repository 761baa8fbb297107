import COpenSSL

/// Opens AES-256-GCM messages (`nonce (12) || ciphertext || tag (16)`, as ``AESGCM`` seals
/// them) under one key, reusing one `EVP_CIPHER_CTX` and its key schedule for every message.
///
/// Creating a context, fetching the cipher and expanding the key for each message is most of
/// what opening a small payload costs; a read that opens hundreds of payloads under the same
/// data key keeps one opener instead. Each ``open(_:associatedData:)`` starts from a fresh
/// nonce and GCM state (`EVP_DecryptInit_ex` with only the nonce), so a message that fails
/// authentication leaves nothing behind for the next one.
///
/// Not `Sendable`: use one opener from one thread at a time (e.g. inside one database read).
package final class AESGCMOpener {
    private let context: OpaquePointer

    /// A context keyed with `key`, ready to open messages sealed under it.
    ///
    /// - Throws: ``CryptoError`` `.openssl` if OpenSSL cannot set the context up.
    package init(key: SecretKey) throws(CryptoError) {
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openssl("EVP_CIPHER_CTX_new") }
        let status = key.bytes.withUnsafeBufferPointer { keyPointer in
            EVP_DecryptInit_ex(context, AESGCM.cipher, nil, keyPointer.baseAddress, nil)
        }
        guard status == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw CryptoError.openssl("EVP_DecryptInit_ex (cipher and key)")
        }
        // GCM's default nonce length is 12 bytes; say so anyway, as `AESGCM.seal` does.
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(AESGCM.nonceByteCount), nil) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw CryptoError.openssl("EVP_CIPHER_CTX_ctrl (set IV length)")
        }
        self.context = context
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// Verifies and decrypts one message; the same contract as ``AESGCM/open(_:key:associatedData:)``.
    ///
    /// No plaintext is returned unless the tag verifies.
    ///
    /// - Throws: ``CryptoError`` `.malformedCiphertext` if `combined` is shorter than 28 bytes,
    ///   `.authenticationFailed` if the tag does not verify, `.openssl` if OpenSSL fails otherwise.
    package func open(_ combined: UnsafeRawBufferPointer, associatedData: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
        guard combined.count >= AESGCM.minimumSealedByteCount, let base = combined.baseAddress else {
            throw CryptoError(
                code: .malformedCiphertext,
                message: "a sealed message is at least \(AESGCM.minimumSealedByteCount) bytes, got \(combined.count)")
        }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let ciphertextCount = combined.count - AESGCM.minimumSealedByteCount
        // A new nonce resets the GCM state; the cipher and key stay.
        guard EVP_DecryptInit_ex(context, nil, nil, nil, bytes) == 1 else {
            throw CryptoError.openssl("EVP_DecryptInit_ex (nonce)")
        }
        try AESGCM.update(context, encrypt: false, associatedData, into: nil)
        var plaintext = [UInt8](repeating: 0, count: ciphertextCount)
        try plaintext.withUnsafeMutableBufferPointer { output throws(CryptoError) in
            let ciphertext = UnsafeRawBufferPointer(start: bytes + AESGCM.nonceByteCount, count: ciphertextCount)
            try AESGCM.update(context, encrypt: false, ciphertext, into: output.baseAddress)
        }
        // EVP_CTRL_GCM_SET_TAG takes a mutable pointer: give it a copy of the tag.
        var tag = (0 as UInt64, 0 as UInt64)
        let tagSet = withUnsafeMutableBytes(of: &tag) { tagPointer -> Int32 in
            tagPointer.copyMemory(from: UnsafeRawBufferPointer(
                start: bytes + AESGCM.nonceByteCount + ciphertextCount, count: AESGCM.tagByteCount))
            return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(AESGCM.tagByteCount), tagPointer.baseAddress)
        }
        guard tagSet == 1 else { throw CryptoError.openssl("EVP_CIPHER_CTX_ctrl (set tag)") }
        var written: Int32 = 0
        var scratch = (0 as UInt64, 0 as UInt64)
        let status = withUnsafeMutableBytes(of: &scratch) { out in
            EVP_DecryptFinal_ex(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &written)
        }
        guard status > 0 else {
            ERR_clear_error()
            // Do not leave unauthenticated plaintext lying around in memory.
            for index in plaintext.indices { plaintext[index] = 0 }
            throw CryptoError(
                code: .authenticationFailed,
                message: "AES-GCM authentication failed: wrong key or associated data, or the message was modified")
        }
        return plaintext
    }
}
