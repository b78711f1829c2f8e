import Foundation

/// Decodes `Decodable` types from `JSONValue`s (or bytes, parsed strictly first), with every
/// error pointing at the JSON the client sent.
///
/// Unlike `JSONDecoder`:
/// - Each error's `codingPath` holds `JSONCodingKey`s with the wire names: the snake_case
///   member looked up, the raw dictionary key, the array position (`rules[2].start_time`).
/// - A number that does not fit is reported at its path: `30.5` for an `Int` is a
///   `typeMismatch` "must be an integer"; `73786976294838206464` is `dataCorrupted`
///   "must be an integer from -9223372036854775808 to 9223372036854775807". Integers are
///   judged on the literal's digits, never through `Double`.
/// - With `.convertFromSnakeCase` a type's key is converted to snake_case (Foundation's
///   `convertToSnakeCase`) and looked up, so `meetingTypeID` reads `meeting_type_id`
///   (Foundation converts the other way and misses it). `[String: V]` keeps its keys raw.
/// - `Date` goes through `dateDecoding`; `UUID` accepts either case; messages name what was
///   expected and what was found ("must be an integer, not a string").
package struct ContractJSONDecoder: Sendable {
    /// How a type's coding keys map to member names.
    package enum KeyDecoding: Sendable {
        /// `durationMinutes` reads `duration_minutes` (Foundation's snake-case conversion).
        case convertFromSnakeCase
        /// Keys are member names as they are.
        case useDefaultKeys
    }

    /// How a type's coding keys map to member names; `.convertFromSnakeCase` by default.
    package var keyDecoding: KeyDecoding
    /// Reads a `Date` from its string; `nil` makes the value invalid.
    package var dateDecoding: @Sendable (String) -> Date?
    /// Handed to the types being decoded as `Decoder.userInfo`.
    package var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// A decoder; `dateDecoding` is the service's RFC 3339 reader.
    package init(
        keyDecoding: KeyDecoding = .convertFromSnakeCase,
        dateDecoding: @escaping @Sendable (String) -> Date?
    ) {
        self.keyDecoding = keyDecoding
        self.dateDecoding = dateDecoding
    }

    /// Decodes `type` from `value`; throws `DecodingError` with wire-name paths.
    package func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueDecoder(value: value, options: self, parent: nil, key: nil).unwrap(value, as: type, key: nil)
    }

    /// Parses `bytes` strictly, then decodes `type`; throws `JSONSyntaxError` for input that
    /// is not one RFC 8259 JSON text, `DecodingError` for JSON of the wrong shape.
    package func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try decode(type, from: StrictJSONParser.parse(bytes))
    }
}
