import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (`RAND_bytes`).
package enum SecureRandom {
    /// Returns `count` random bytes, or throws `randomGenerationFailed` when OpenSSL cannot
    /// produce them (it never returns weak bytes instead).
    package static func bytes(count: Int) throws -> [UInt8] {
        precondition(count >= 0, "a byte count cannot be negative")
        guard count > 0 else { return [] }
        guard count <= Int(Int32.max) else { throw CryptographyError(.inputTooLarge, detail: "RAND_bytes count") }
        var output = [UInt8](repeating: 0, count: count)
        let status = output.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard status == 1 else { throw CryptographyError.openSSL(.randomGenerationFailed, operation: "RAND_bytes") }
        return output
    }
}
