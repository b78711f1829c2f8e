/// A 256-bit AES key with the id that sealed boxes record, so that keys can rotate: a box names
/// the key that sealed it, and the caller picks that key from its keyring to open it.
///
/// `description` shows only the id, never the key bytes.
package struct EncryptionKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key length in bytes (AES-256).
    package static let byteCount = 32

    /// The id written into every box this key seals.
    package let id: UInt32
    /// The 32 key bytes.
    package let bytes: [UInt8]

    /// A key from its 32 bytes; throws `invalidKeySize` for any other length.
    package init(id: UInt32, bytes: some Collection<UInt8>) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptographyError(.invalidKeySize, detail: "expected \(Self.byteCount) bytes, got \(bytes.count)")
        }
        self.id = id
        self.bytes = Array(bytes)
    }

    /// A fresh key from ``SecureRandom``.
    package static func random(id: UInt32) throws -> EncryptionKey {
        try EncryptionKey(id: id, bytes: SecureRandom.bytes(count: byteCount))
    }

    /// The id only, never the key bytes.
    package var description: String { "EncryptionKey(id: \(id))" }
    /// The id only, never the key bytes.
    package var debugDescription: String { description }
}
