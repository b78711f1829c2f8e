import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) through OpenSSL's EVP interface.
///
/// ``seal(_:using:associatedData:)`` draws a fresh random 12-byte nonce for every call and
/// produces a 16-byte tag. With random nonces one key should seal fewer than 2³² messages
/// (SP 800-38D §8.3); rotate keys long before that.
package enum AESGCM {
    /// The nonce length in bytes.
    package static let nonceByteCount = 12
    /// The tag length in bytes.
    package static let tagByteCount = 16

    /// Encrypts `plaintext` under `key` with a fresh random nonce.
    ///
    /// `associatedData` is authenticated but not encrypted (e.g. the row id the secret belongs
    /// to, so that a box copied to another row does not open); pass the same bytes to ``open(_:using:associatedData:)``.
    package static func seal(
        _ plaintext: some Collection<UInt8>,
        using key: EncryptionKey,
        associatedData: some Collection<UInt8> = [UInt8]()
    ) throws -> SealedBox {
        let nonce = try SecureRandom.bytes(count: nonceByteCount)
        let header = SealedBox.header(keyID: key.id)
        let (ciphertext, tag) = try seal(plaintext, key: key.bytes, nonce: nonce, associatedData: header + Array(associatedData))
        return SealedBox(keyID: key.id, nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Decrypts and authenticates `box` with `key` and the `associatedData` it was sealed with.
    ///
    /// Throws `keyMismatch` when the box names another key id, and `authenticationFailed` when
    /// anything does not match (key, associated data, or a single altered bit); no plaintext is
    /// returned in that case.
    package static func open(
        _ box: SealedBox,
        using key: EncryptionKey,
        associatedData: some Collection<UInt8> = [UInt8]()
    ) throws -> [UInt8] {
        guard box.keyID == key.id else {
            throw CryptographyError(.keyMismatch, detail: "box key id \(box.keyID), key id \(key.id)")
        }
        let header = SealedBox.header(keyID: box.keyID)
        return try open(box.ciphertext, key: key.bytes, nonce: box.nonce, tag: box.tag, associatedData: header + Array(associatedData))
    }

    /// Parses serialized bytes and opens them; see ``open(_:using:associatedData:)``.
    package static func open(
        serialized: some Collection<UInt8>,
        using key: EncryptionKey,
        associatedData: some Collection<UInt8> = [UInt8]()
    ) throws -> [UInt8] {
        try open(SealedBox(serialized: serialized), using: key, associatedData: associatedData)
    }

    /// Raw AES-256-GCM encryption with a caller-chosen nonce, for known-answer tests only.
    ///
    /// Reusing a nonce under one key breaks GCM completely: production code calls
    /// ``seal(_:using:associatedData:)``, which draws the nonce itself.
    package static func seal(
        _ plaintext: some Collection<UInt8>,
        key: [UInt8],
        nonce: [UInt8],
        associatedData: some Collection<UInt8>
    ) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        try checkSizes(key: key, nonce: nonce, plaintextCount: plaintext.count, associatedDataCount: associatedData.count)
        let context = try CipherContext()
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        var length: Int32 = 0
        try key.withNonNullBytes { keyBase, _ in
            try nonce.withNonNullBytes { nonceBase, _ in
                try context.check(EVP_EncryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, nil, nil), "EVP_EncryptInit_ex(cipher)")
                try context.check(rz_evp_gcm_set_iv_length(context.pointer, Int32(nonceByteCount)), "EVP_CTRL_GCM_SET_IVLEN")
                try context.check(EVP_EncryptInit_ex(context.pointer, nil, nil, keyBase, nonceBase), "EVP_EncryptInit_ex(key)")
            }
        }
        if !associatedData.isEmpty {
            try associatedData.withNonNullBytes { base, count in
                try context.check(EVP_EncryptUpdate(context.pointer, nil, &length, base, Int32(count)), "EVP_EncryptUpdate(aad)")
            }
        }
        if !plaintext.isEmpty {
            try plaintext.withNonNullBytes { base, count in
                try ciphertext.withUnsafeMutableBufferPointer { output in
                    try context.check(EVP_EncryptUpdate(context.pointer, output.baseAddress, &length, base, Int32(count)), "EVP_EncryptUpdate")
                }
            }
        }
        // GCM is a stream mode: Final writes no bytes, but it wants a valid output pointer.
        var scratch = [UInt8](repeating: 0, count: 16)
        try scratch.withUnsafeMutableBufferPointer { output in
            try context.check(EVP_EncryptFinal_ex(context.pointer, output.baseAddress, &length), "EVP_EncryptFinal_ex")
        }
        try tag.withUnsafeMutableBufferPointer { output in
            try context.check(rz_evp_gcm_get_tag(context.pointer, output.baseAddress, Int32(tagByteCount)), "EVP_CTRL_GCM_GET_TAG")
        }
        return (ciphertext, tag)
    }

    /// Raw AES-256-GCM decryption; throws `authenticationFailed` unless the tag verifies.
    package static func open(
        _ ciphertext: some Collection<UInt8>,
        key: [UInt8],
        nonce: [UInt8],
        tag: [UInt8],
        associatedData: some Collection<UInt8>
    ) throws -> [UInt8] {
        try checkSizes(key: key, nonce: nonce, plaintextCount: ciphertext.count, associatedDataCount: associatedData.count)
        guard tag.count == tagByteCount else { throw CryptographyError(.authenticationFailed, detail: "tag length") }
        let context = try CipherContext()
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        var length: Int32 = 0
        try key.withNonNullBytes { keyBase, _ in
            try nonce.withNonNullBytes { nonceBase, _ in
                try context.check(EVP_DecryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, nil, nil), "EVP_DecryptInit_ex(cipher)")
                try context.check(rz_evp_gcm_set_iv_length(context.pointer, Int32(nonceByteCount)), "EVP_CTRL_GCM_SET_IVLEN")
                try context.check(EVP_DecryptInit_ex(context.pointer, nil, nil, keyBase, nonceBase), "EVP_DecryptInit_ex(key)")
            }
        }
        if !associatedData.isEmpty {
            try associatedData.withNonNullBytes { base, count in
                try context.check(EVP_DecryptUpdate(context.pointer, nil, &length, base, Int32(count)), "EVP_DecryptUpdate(aad)")
            }
        }
        if !ciphertext.isEmpty {
            try ciphertext.withNonNullBytes { base, count in
                try plaintext.withUnsafeMutableBufferPointer { output in
                    try context.check(EVP_DecryptUpdate(context.pointer, output.baseAddress, &length, base, Int32(count)), "EVP_DecryptUpdate")
                }
            }
        }
        try tag.withNonNullBytes { base, _ in
            try context.check(rz_evp_gcm_set_tag(context.pointer, base, Int32(tagByteCount)), "EVP_CTRL_GCM_SET_TAG")
        }
        var scratch = [UInt8](repeating: 0, count: 16)
        let verified = scratch.withUnsafeMutableBufferPointer { output in
            EVP_DecryptFinal_ex(context.pointer, output.baseAddress, &length)
        }
        guard verified == 1 else {
            // Wipe what was decrypted: unauthenticated plaintext must not escape, even by accident.
            plaintext.withUnsafeMutableBytes { buffer in
                if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
            }
            ERR_clear_error()
            throw CryptographyError(.authenticationFailed)
        }
        return plaintext
    }

    private static func checkSizes(key: [UInt8], nonce: [UInt8], plaintextCount: Int, associatedDataCount: Int) throws {
        guard key.count == EncryptionKey.byteCount else {
            throw CryptographyError(.invalidKeySize, detail: "expected \(EncryptionKey.byteCount) bytes, got \(key.count)")
        }
        guard nonce.count == nonceByteCount else {
            throw CryptographyError(.invalidNonceSize, detail: "expected \(nonceByteCount) bytes, got \(nonce.count)")
        }
        guard plaintextCount < Int(Int32.max), associatedDataCount < Int(Int32.max) else {
            throw CryptographyError(.inputTooLarge, detail: "AES-GCM input over 2 GiB")
        }
    }
}

/// An `EVP_CIPHER_CTX` freed when the wrapper goes away; used by one call on one thread.
private final class CipherContext {
    let pointer: OpaquePointer

    init() throws {
        guard let pointer = EVP_CIPHER_CTX_new() else {
            throw CryptographyError.openSSL(.libraryFailure, operation: "EVP_CIPHER_CTX_new")
        }
        self.pointer = pointer
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }

    /// Throws `libraryFailure` with OpenSSL's error queue unless `status` is 1.
    func check(_ status: Int32, _ operation: String) throws {
        guard status == 1 else { throw CryptographyError.openSSL(.libraryFailure, operation: operation) }
    }
}
