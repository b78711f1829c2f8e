/// One JSON value, as RFC 8259 defines it.
///
/// Numbers keep their literal text (`JSONNumber`) and objects keep member order
/// (`JSONObject`), so a value can be checked exactly before anything is converted.
package enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its literal.
    case number(JSONNumber)
    /// A string, unescaped.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object: members in order, each key once.
    case object(JSONObject)

    /// Parses `bytes` as exactly one RFC 8259 JSON text (see `StrictJSONParser`).
    package static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        try StrictJSONParser.parse(bytes)
    }

    /// What kind of value this is, as error messages name it: `a string`, `an object`, `null`.
    package var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The member `key` of an object; `nil` for other values or a missing key.
    package subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `.string(value)`.
    package init(stringLiteral value: String) { self = .string(value) }
    /// `.number` with the integer's digits.
    package init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    /// `.number` written as `JSONEncoder` writes the double (a literal is always finite).
    package init(floatLiteral value: Double) { self = .number(JSONNumber(value)!) }
    /// `.bool(value)`.
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `.array(elements)`.
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `.object` with the members in literal order.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.lazy.map { (key: $0.0, value: $0.1) }))
    }
}
