import Cryptography

/// Random identifiers and secrets in the shapes the providers use.
enum FakeIdentifiers {
    /// `count` random bytes as base64url; falls back to a counter-free pseudo-random source
    /// only if the system generator fails, which tests would notice anyway.
    static func random(bytes count: Int = 24) -> String {
        let bytes = (try? SecureRandom.bytes(count: count)) ?? (0 ..< count).map { _ in UInt8.random(in: 0 ... 255) }
        return Base64URL.encode(bytes)
    }

    /// Lowercase hex, which fits Google's event-id alphabet (base32hex: `a-v`, `0-9`).
    static func hex(bytes count: Int = 16) -> String {
        let bytes = (try? SecureRandom.bytes(count: count)) ?? (0 ..< count).map { _ in UInt8.random(in: 0 ... 255) }
        return bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// A UUID-shaped id (Graph subscription ids, trace ids).
    static func uuid() -> String {
        let hex = hex(bytes: 16)
        let characters = Array(hex)
        return [0 ..< 8, 8 ..< 12, 12 ..< 16, 16 ..< 20, 20 ..< 32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
