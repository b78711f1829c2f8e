/// Why a byte sequence is not one RFC 8259 JSON text, and where the parser gave up.
///
/// `description` reads like `trailing comma at byte 14` or `duplicate key "name" at byte 20`
/// and names nothing but the offending spot, so it can go back to the client as is.
package struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Zero-based offset of the offending byte in the input.
    package let offset: Int
    /// What is wrong there, without the offset (`trailing comma`, `invalid UTF-8`).
    package let reason: String

    /// An error at `offset` for `reason`.
    package init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `reason at byte offset`.
    package var description: String {
        "\(reason) at byte \(offset)"
    }
}
