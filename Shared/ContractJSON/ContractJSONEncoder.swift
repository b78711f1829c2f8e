import Foundation

/// Encodes `Encodable` values as compact JSON, byte for byte as `JSONEncoder` with
/// `outputFormatting = [.sortedKeys, .withoutEscapingSlashes]` and
/// `keyEncodingStrategy = .convertToSnakeCase` writes them, except that:
/// - every `UUID` is written in lower case (RFC 9562 form), not `uuidString`'s upper case;
/// - `[String: V]` keys are written as given, never converted (they are data, not names);
/// - a `Date` is the string `dateEncoding` makes of it.
///
/// Keys are sorted by their UTF-8 bytes, as `.sortedKeys` does; a key encoded twice keeps
/// the last value. Strings escape `"`, `\` and control characters only. Doubles are written
/// as Swift's shortest round-trip `description` without a trailing `.0` (`2`, `0.1`, `1e+20`);
/// NaN and the infinities throw `EncodingError.invalidValue`. A value that encodes nothing
/// is `{}` when nested, and an error at the top level, as with Foundation.
///
/// The bytes are written directly: a member's value lands in the output as it is encoded,
/// and an object's members are reordered in place when it closes, so there is no tree of
/// intermediate values. Containers obtained with `nestedContainer`/`superEncoder` write into
/// a buffer of their own, spliced in when their parent closes.
package struct ContractJSONEncoder: Sendable {
    /// How a type's coding keys become member names.
    package enum KeyEncoding: Sendable {
        /// `durationMinutes` is written `duration_minutes` (Foundation's algorithm).
        case convertToSnakeCase
        /// Keys are written as they are.
        case useDefaultKeys
    }

    /// How a type's coding keys become member names; `.convertToSnakeCase` by default.
    package var keyEncoding: KeyEncoding
    /// Writes a `Date` as the string value that goes on the wire.
    package var dateEncoding: @Sendable (Date) -> String
    /// Handed to the types being encoded as `Encoder.userInfo`.
    package var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// An encoder; `dateEncoding` is the service's RFC 3339 writer.
    package init(
        keyEncoding: KeyEncoding = .convertToSnakeCase,
        dateEncoding: @escaping @Sendable (Date) -> String
    ) {
        self.keyEncoding = keyEncoding
        self.dateEncoding = dateEncoding
    }

    /// The JSON text of `value`, as UTF-8 bytes.
    package func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = JSONByteSink(options: self)
        try sink.encodeValue(value, parent: nil, key: nil, emptyAsObject: false)
        guard !sink.bytes.isEmpty else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."
            ))
        }
        return sink.bytes
    }

    /// The JSON text of `value`, as `Data`.
    package func encodeData<T: Encodable>(_ value: T) throws -> Data {
        Data(try encode(value))
    }
}
