/// HTTP header fields in order, with case-insensitive look-up and repeated names kept
/// (`Set-Cookie`, `WWW-Authenticate`, `Link` may all repeat).
package struct HTTPClientHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One header field.
    package struct Field: Sendable, Equatable {
        /// The name as sent or received (look-ups ignore its case).
        package var name: String
        /// The value, without surrounding whitespace.
        package var value: String

        /// A field with `name` and `value`.
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var fields: [Field]

    /// Headers from `(name, value)` pairs, in order.
    package init(_ pairs: [(String, String)] = []) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Headers from a literal, in order (a name may repeat).
    package init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Number of fields, repeated names counted each time.
    package var count: Int { fields.count }

    /// Appends a field, keeping any with the same name.
    package mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field named `name` and appends one with `value`.
    package mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field named `name` (any case).
    package mutating func remove(name: String) {
        fields.removeAll { Self.namesMatch($0.name, name) }
    }

    /// Every value of the fields named `name` (any case), in order; empty when there is none.
    package subscript(name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// The first value of the fields named `name` (any case).
    package func first(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Whether a field named `name` (any case) is present.
    package func contains(name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// The fields in order.
    package func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Names only: values may be credentials (`Authorization`, `Cookie`).
    package var description: String {
        "HTTPClientHeaders(\(fields.map(\.name).joined(separator: ", ")))"
    }

    /// Extends the last field's value (a folded header line).
    mutating func appendToLastValue(_ text: String) {
        guard !fields.isEmpty else { return }
        fields[fields.count - 1].value += text
    }

    /// ASCII case-insensitive comparison: header names are ASCII tokens (RFC 9110 §5.1).
    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8, right = rhs.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A") ... UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
