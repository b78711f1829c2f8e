import COpenSSL

/// HMAC-SHA256 message authentication codes (RFC 2104) through OpenSSL.
package enum HMACSHA256 {
    /// The code length in bytes.
    package static let byteCount = 32

    /// Returns the 32-byte HMAC-SHA256 of `message` under `key` (any length; longer than the
    /// 64-byte block is hashed first, as RFC 2104 says).
    ///
    /// Compare codes with ``ConstantTime/equals(_:_:)``, never `==`.
    package static func authenticationCode(for message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let result = key.withNonNullBytes { keyBase, keyCount -> UnsafeMutablePointer<UInt8>? in
            guard keyCount <= Int(Int32.max) else { return nil }
            return message.withNonNullBytes { messageBase, messageCount in
                code.withUnsafeMutableBufferPointer { output in
                    COpenSSL.HMAC(EVP_sha256(), keyBase, Int32(keyCount), messageBase, messageCount, output.baseAddress, &length)
                }
            }
        }
        guard result != nil, length == UInt32(byteCount) else {
            fatalError("\(CryptographyError.openSSL(.libraryFailure, operation: "HMAC(SHA-256)").debugDescription)")
        }
        return code
    }
}
