import Cryptography

/// The invitee's capability for one booking: 256 random bits, shown once, stored only as a hash.
struct CancelToken: Sendable {
    /// The token as the invitee sees it (base64url, 43 characters).
    let text: String
    /// What the database keeps.
    let hash: [UInt8]

    /// A fresh token.
    static func make() throws -> CancelToken {
        let text = Base64URL.encode(try SecureRandom.bytes(count: 32))
        return CancelToken(text: text, hash: hash(of: text))
    }

    /// The stored form of a presented token.
    static func hash(of text: String) -> [UInt8] {
        SHA256.hash(Array(text.utf8))
    }

    /// Whether `presented` is the token whose hash is `stored`, in constant time.
    static func matches(_ presented: String, storedHash stored: [UInt8]) -> Bool {
        ConstantTime.equals(hash(of: presented), stored)
    }
}
