import COpenSSL

/// Comparisons whose duration does not depend on where the inputs differ.
package enum ConstantTime {
    /// Returns whether `lhs` and `rhs` hold the same bytes, comparing equal-length inputs with
    /// `CRYPTO_memcmp`. Inputs of different lengths are unequal at once: lengths are not secret
    /// for the MACs, digests and tokens this compares.
    package static func equals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withNonNullBytes { left, count in
            rhs.withNonNullBytes { right, _ in
                CRYPTO_memcmp(left, right, count) == 0
            }
        }
    }
}
