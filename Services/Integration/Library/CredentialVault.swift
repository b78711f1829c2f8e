import Cryptography
import Foundation

/// Seals and opens the secrets of an integration (refresh token, access token, CalDAV password)
/// with AES-256-GCM under `TOKEN_ENCRYPTION_KEY`: a fresh nonce per seal, the key id inside the
/// box (kept in a column too, for rotation), and the integration id as associated data so a
/// box copied to another row does not open.
package struct CredentialVault: Sendable {
    let key: EncryptionKey

    package init(key: EncryptionKey) {
        self.key = key
    }

    package var keyID: Int { Int(key.id) }

    /// The box as stored: base64url of the serialized box.
    package func seal(_ secret: String, for integration: UUID) throws -> String {
        Base64URL.encode(try AESGCM.seal(Array(secret.utf8), using: key, associatedData: Self.associatedData(integration)).serialized)
    }

    package func open(_ sealed: String, for integration: UUID) throws -> String {
        let bytes = try AESGCM.open(serialized: try Base64URL.decode(sealed), using: key, associatedData: Self.associatedData(integration))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Seals with other associated data (the OAuth state's hash for a PKCE verifier).
    package func seal(_ secret: String, boundTo context: String) throws -> String {
        Base64URL.encode(try AESGCM.seal(Array(secret.utf8), using: key, associatedData: Array(context.utf8)).serialized)
    }

    package func open(_ sealed: String, boundTo context: String) throws -> String {
        String(decoding: try AESGCM.open(serialized: try Base64URL.decode(sealed), using: key, associatedData: Array(context.utf8)), as: UTF8.self)
    }

    static func associatedData(_ integration: UUID) -> [UInt8] {
        Array("calendar_integrations:\(integration.uuidString.lowercased())".utf8)
    }

    /// Hex SHA-256 of a secret that is only ever compared (OAuth state, channel tokens).
    package static func digest(_ secret: String) -> String {
        Hex.encode(SHA256.hash(Array(secret.utf8)))
    }

    /// A random URL-safe secret of `bytes` random bytes.
    package static func randomSecret(bytes: Int = 32) throws -> String {
        Base64URL.encode(try SecureRandom.bytes(count: bytes))
    }

    /// Whether `candidate` hashes to `digest`, in constant time.
    package static func matches(_ candidate: String, digest: String) -> Bool {
        ConstantTime.equals(Array(Self.digest(candidate).utf8), Array(digest.utf8))
    }
}
