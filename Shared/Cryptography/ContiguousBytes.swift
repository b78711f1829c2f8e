extension Collection<UInt8> {
    /// Calls `body` with the bytes in one contiguous buffer whose base address is never nil,
    /// copying only when the collection has no contiguous storage.
    ///
    /// OpenSSL treats a NULL pointer with length 0 differently from an empty buffer in a few
    /// functions (HMAC with an empty key, for one), so empty inputs get a valid address too.
    func withNonNullBytes<R>(_ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
        if let result = try withContiguousStorageIfAvailable({ buffer -> R in
            if let base = buffer.baseAddress { return try body(base, buffer.count) }
            return try withEmptyBytes(body)
        }) {
            return result
        }
        let copy = Array(self)
        return try copy.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { return try body(base, buffer.count) }
            return try withEmptyBytes(body)
        }
    }
}

/// Calls `body` with a valid address and length 0.
private func withEmptyBytes<R>(_ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
    var placeholder: UInt8 = 0
    return try withUnsafePointer(to: &placeholder) { try body($0, 0) }
}
