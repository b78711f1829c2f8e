import COpenSSL

/// An error from the cryptography wrapper.
///
/// `description` names only the category, never key material or data; `String(reflecting:)`
/// adds the OpenSSL error queue's text when there is one.
package struct CryptographyError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, in the categories callers branch on.
    package enum Kind: Sendable, Equatable {
        /// A sealed box did not authenticate: wrong key, wrong associated data, or altered bytes.
        case authenticationFailed
        /// Serialized bytes are too short or otherwise not a sealed box.
        case malformedSealedBox
        /// A sealed box names a format version this code does not know.
        case unsupportedVersion
        /// A sealed box names a key id other than the key offered to open it.
        case keyMismatch
        /// A key has the wrong length (AES-256 takes exactly 32 bytes).
        case invalidKeySize
        /// A nonce has the wrong length (AES-GCM here takes exactly 12 bytes).
        case invalidNonceSize
        /// The input is larger than OpenSSL's `int` lengths allow.
        case inputTooLarge
        /// Text is not valid base64url or hex.
        case invalidEncoding
        /// The random generator could not produce bytes.
        case randomGenerationFailed
        /// An OpenSSL call failed for a reason other than the above (allocation, internal error).
        case libraryFailure
    }

    /// The category.
    package var kind: Kind
    /// What the wrapper or OpenSSL said (for logs only; never includes key material or data).
    package var detail: String

    /// An error of `kind` with its details.
    package init(_ kind: Kind, detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    /// An error of `kind` whose detail is `operation` plus OpenSSL's error queue, which it drains.
    static func openSSL(_ kind: Kind, operation: String) -> CryptographyError {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let detail = messages.isEmpty ? operation : "\(operation): \(messages.joined(separator: "; "))"
        return CryptographyError(kind, detail: detail)
    }

    /// The category only, safe for responses.
    package var description: String { "CryptographyError(\(kind))" }

    /// The category with every detail, for logs.
    package var debugDescription: String {
        detail.isEmpty ? description : "CryptographyError(\(kind), detail: \(detail))"
    }
}
