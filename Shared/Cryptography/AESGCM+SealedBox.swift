extension AESGCM {
    /// The output of ``AESGCM/seal(_:using:associatedData:)`` and its compact serialized form.
    ///
    /// Serialized layout (33 bytes of overhead):
    ///
    /// | bytes | field |
    /// | --- | --- |
    /// | 1 | format version, `0x01` |
    /// | 4 | key id, big-endian |
    /// | 12 | nonce |
    /// | n | ciphertext (as long as the plaintext) |
    /// | 16 | tag |
    ///
    /// The version byte and key id are authenticated too (they are prepended to the associated
    /// data), so neither can be altered without `open` failing.
    package struct SealedBox: Sendable, Equatable {
        /// The format version this code writes and reads.
        package static let version: UInt8 = 1
        /// Bytes before the nonce: version and key id.
        static let headerByteCount = 5
        /// Serialized length of a box with an empty plaintext.
        package static let overheadByteCount = headerByteCount + AESGCM.nonceByteCount + AESGCM.tagByteCount

        /// The id of the key that sealed the box (see ``EncryptionKey/id``).
        package let keyID: UInt32
        /// The 12-byte nonce.
        package let nonce: [UInt8]
        /// The encrypted bytes.
        package let ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        package let tag: [UInt8]

        init(keyID: UInt32, nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.keyID = keyID
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// Parses the serialized form; throws `malformedSealedBox` when too short and
        /// `unsupportedVersion` for an unknown version byte. Authenticity is checked only by `open`.
        package init(serialized: some Collection<UInt8>) throws {
            let bytes = Array(serialized)
            guard bytes.count >= Self.overheadByteCount else {
                throw CryptographyError(.malformedSealedBox, detail: "\(bytes.count) bytes, need at least \(Self.overheadByteCount)")
            }
            guard bytes[0] == Self.version else {
                throw CryptographyError(.unsupportedVersion, detail: "version \(bytes[0])")
            }
            keyID = bytes[1 ..< 5].reduce(0) { $0 << 8 | UInt32($1) }
            let nonceEnd = Self.headerByteCount + AESGCM.nonceByteCount
            nonce = Array(bytes[Self.headerByteCount ..< nonceEnd])
            ciphertext = Array(bytes[nonceEnd ..< bytes.count - AESGCM.tagByteCount])
            tag = Array(bytes[(bytes.count - AESGCM.tagByteCount)...])
        }

        /// The serialized form: version, key id, nonce, ciphertext, tag.
        package var serialized: [UInt8] {
            var bytes = Self.header(keyID: keyID)
            bytes.reserveCapacity(Self.overheadByteCount + ciphertext.count)
            bytes += nonce
            bytes += ciphertext
            bytes += tag
            return bytes
        }

        /// Reads only the key id of serialized bytes, to pick the key before opening.
        package static func keyID(ofSerialized serialized: some Collection<UInt8>) throws -> UInt32 {
            try SealedBox(serialized: serialized).keyID
        }

        /// The version byte and big-endian key id.
        static func header(keyID: UInt32) -> [UInt8] {
            [version, UInt8(truncatingIfNeeded: keyID >> 24), UInt8(truncatingIfNeeded: keyID >> 16),
             UInt8(truncatingIfNeeded: keyID >> 8), UInt8(truncatingIfNeeded: keyID)]
        }
    }
}
