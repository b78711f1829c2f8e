/// A key as it appears on the wire: the member name actually looked up (`duration_minutes`,
/// a raw dictionary key) or an array position (`intValue` set, `stringValue` its digits).
///
/// `ContractJSONDecoder` puts these in every coding path, so an error's path names the JSON
/// the client sent; `[any CodingKey].jsonPath` prints such a path as `rules[2].start_time`.
package struct JSONCodingKey: CodingKey, Hashable, Sendable {
    /// The member name; `nil` for an array position, whose digits are made only when asked for.
    private let name: String?
    /// The array position, for array elements only.
    package let intValue: Int?

    /// The member name, or the array position in decimal.
    package var stringValue: String {
        name ?? String(intValue!)
    }

    /// The key of the member `stringValue`.
    package init(stringValue: String) {
        name = stringValue
        intValue = nil
    }

    /// The key of the array element at `intValue`.
    package init(intValue: Int) {
        name = nil
        self.intValue = intValue
    }

    /// The key of the member `name`.
    package init(_ name: String) {
        self.init(stringValue: name)
    }

    /// The key of the array element at `index`.
    package init(index: Int) {
        self.init(intValue: index)
    }
}
