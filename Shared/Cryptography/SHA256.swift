import COpenSSL

/// The SHA-256 digest (FIPS 180-4) through OpenSSL's EVP interface.
package enum SHA256 {
    /// The digest length in bytes.
    package static let byteCount = 32

    /// Returns the 32-byte SHA-256 digest of `data`.
    ///
    /// OpenSSL fails here only when it cannot allocate, which is treated as fatal like any
    /// other allocation failure in Swift.
    package static func hash(_ data: some Collection<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let status = data.withNonNullBytes { base, count in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(base, count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard status == 1, length == UInt32(byteCount) else {
            fatalError("\(CryptographyError.openSSL(.libraryFailure, operation: "EVP_Digest(SHA-256)").debugDescription)")
        }
        return digest
    }
}
