import Foundation

/// The `Decoder` over one `JSONValue`; also its own single-value container.
///
/// Coding paths are a chain of parents, each adding one wire-name key, made into an array
/// only when asked for (errors, or a type reading `codingPath`).
final class JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let options: ContractJSONDecoder
    let parent: JSONValueDecoder?
    let key: JSONCodingKey?

    init(value: JSONValue, options: ContractJSONDecoder, parent: JSONValueDecoder?, key: JSONCodingKey?) {
        self.value = value
        self.options = options
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] { path(appending: nil) }

    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    /// This decoder's path, plus `extra` when given.
    func path(appending extra: JSONCodingKey?) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        if let extra { keys.append(extra) }
        var decoder: JSONValueDecoder? = self
        while let current = decoder {
            if let key = current.key { keys.append(key) }
            decoder = current.parent
        }
        return keys.reversed()
    }

    /// A decoder for `value` one key below this one.
    func child(_ value: JSONValue, key: JSONCodingKey) -> JSONValueDecoder {
        JSONValueDecoder(value: value, options: options, parent: self, key: key)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw wrongKind([String: Any].self, expected: "an object", found: value, key: nil)
        }
        return KeyedDecodingContainer(ObjectDecodingContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw wrongKind([Any].self, expected: "an array", found: value, key: nil)
        }
        return ArrayDecodingContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Errors

    /// `typeMismatch` naming what was expected and found, or `valueNotFound` for null.
    func wrongKind(_ type: Any.Type, expected: String, found value: JSONValue, key: JSONCodingKey?) -> DecodingError {
        let context = DecodingError.Context(
            codingPath: path(appending: key), debugDescription: "must be \(expected), not \(value.kindDescription)"
        )
        if case .null = value { return .valueNotFound(type, context) }
        return .typeMismatch(type, context)
    }

    func corrupted(_ message: String, key: JSONCodingKey?) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path(appending: key), debugDescription: message))
    }

    // MARK: Conversions, shared by the three kinds of container

    func unwrapBool(_ value: JSONValue, key: JSONCodingKey?) throws -> Bool {
        guard case .bool(let bool) = value else { throw wrongKind(Bool.self, expected: "a boolean", found: value, key: key) }
        return bool
    }

    func unwrapString(_ value: JSONValue, key: JSONCodingKey?) throws -> String {
        guard case .string(let string) = value else { throw wrongKind(String.self, expected: "a string", found: value, key: key) }
        // JSON allows `\u0000`; nothing behind the API does (C strings end there, PostgreSQL's
        // text and jsonb refuse it), so it is the field's error here, not a failure later.
        guard !string.utf8.contains(0) else { throw corrupted("must not contain the NUL character (\\u0000)", key: key) }
        return string
    }

    func unwrapInteger<T: FixedWidthInteger>(_ value: JSONValue, as type: T.Type, key: JSONCodingKey?) throws -> T {
        guard case .number(let number) = value else { throw wrongKind(type, expected: "an integer", found: value, key: key) }
        switch number.integerConversion(to: type) {
        case .value(let integer):
            return integer
        case .notIntegral:
            throw DecodingError.typeMismatch(type, DecodingError.Context(codingPath: path(appending: key), debugDescription: "must be an integer"))
        case .outOfRange:
            throw corrupted("must be an integer from \(T.min) to \(T.max)", key: key)
        }
    }

    func unwrapDouble(_ value: JSONValue, key: JSONCodingKey?) throws -> Double {
        guard case .number(let number) = value else { throw wrongKind(Double.self, expected: "a number", found: value, key: key) }
        let double = number.doubleValue
        guard double.isFinite else {
            throw corrupted("must be a number from \(-Double.greatestFiniteMagnitude) to \(Double.greatestFiniteMagnitude)", key: key)
        }
        return double
    }

    func unwrapFloat(_ value: JSONValue, key: JSONCodingKey?) throws -> Float {
        guard case .number(let number) = value else { throw wrongKind(Float.self, expected: "a number", found: value, key: key) }
        let float = number.floatValue
        guard float.isFinite else {
            throw corrupted("must be a number from \(-Float.greatestFiniteMagnitude) to \(Float.greatestFiniteMagnitude)", key: key)
        }
        return float
    }

    /// `value` as `T`: the types with a JSON meaning of their own first, then `T.init(from:)`.
    func unwrap<T: Decodable>(_ value: JSONValue, as type: T.Type, key: JSONCodingKey?) throws -> T {
        // Scalars skip the nested decoder an `init(from:)` would need (arrays of them are common).
        if T.self == String.self { return try unwrapString(value, key: key) as! T }
        if T.self == Int.self { return try unwrapInteger(value, as: Int.self, key: key) as! T }
        if T.self == Bool.self { return try unwrapBool(value, key: key) as! T }
        if T.self == Double.self { return try unwrapDouble(value, key: key) as! T }
        if T.self == UUID.self { return try unwrapUUID(value, key: key) as! T }
        if T.self == Date.self { return try unwrapDate(value, key: key) as! T }
        if T.self == JSONValue.self { return value as! T }
        if T.self == URL.self { return try unwrapURL(value, key: key) as! T }
        if T.self == Decimal.self { return try unwrapDecimal(value, key: key) as! T }
        if T.self == Data.self { return try unwrapData(value, key: key) as! T }
        let decoder = key.map { child(value, key: $0) } ?? self
        if let dictionary = T.self as? any StringKeyedDictionaryDecodable.Type {
            guard case .object(let object) = value else {
                throw wrongKind(T.self, expected: "an object", found: value, key: key)
            }
            return try dictionary.decodeRawKeys(of: object, with: decoder) as! T
        }
        return try T(from: decoder)
    }

    func unwrapUUID(_ value: JSONValue, key: JSONCodingKey?) throws -> UUID {
        guard case .string(let string) = value else { throw wrongKind(UUID.self, expected: "a UUID string", found: value, key: key) }
        guard let uuid = UUIDText.parse(string) else { throw corrupted("must be a UUID", key: key) }
        return uuid
    }

    func unwrapDate(_ value: JSONValue, key: JSONCodingKey?) throws -> Date {
        guard case .string(let string) = value else {
            throw wrongKind(Date.self, expected: "an RFC 3339 instant string", found: value, key: key)
        }
        guard let date = options.dateDecoding(string) else {
            throw corrupted("must be an RFC 3339 instant such as 2026-03-10T14:00:00Z", key: key)
        }
        return date
    }

    func unwrapURL(_ value: JSONValue, key: JSONCodingKey?) throws -> URL {
        guard case .string(let string) = value else { throw wrongKind(URL.self, expected: "a URL string", found: value, key: key) }
        guard let url = URL(string: string) else { throw corrupted("must be a URL", key: key) }
        return url
    }

    func unwrapDecimal(_ value: JSONValue, key: JSONCodingKey?) throws -> Decimal {
        guard case .number(let number) = value else { throw wrongKind(Decimal.self, expected: "a number", found: value, key: key) }
        guard let decimal = number.decimalValue else { throw corrupted("must be a number within Decimal's range", key: key) }
        return decimal
    }

    func unwrapData(_ value: JSONValue, key: JSONCodingKey?) throws -> Data {
        guard case .string(let string) = value else { throw wrongKind(Data.self, expected: "a base64 string", found: value, key: key) }
        guard let data = Data(base64Encoded: string) else { throw corrupted("must be base64", key: key) }
        return data
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try unwrapBool(value, key: nil) }
    func decode(_ type: String.Type) throws -> String { try unwrapString(value, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try unwrapDouble(value, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try unwrapFloat(value, key: nil) }
    func decode(_ type: Int.Type) throws -> Int { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try unwrapInteger(value, as: type, key: nil) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: Int128.Type) throws -> Int128 { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unwrapInteger(value, as: type, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unwrapInteger(value, as: type, key: nil) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: UInt128.Type) throws -> UInt128 { try unwrapInteger(value, as: type, key: nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unwrap(value, as: type, key: nil) }
}
