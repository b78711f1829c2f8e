/// The unkeyed container over one JSON array; element paths carry the position as `intValue`.
///
/// The position advances only after a successful decode, so a type may try one type and
/// then another for the same element.
struct ArrayDecodingContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoder
    let elements: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: JSONValueDecoder, elements: [JSONValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The element at the current position, or `valueNotFound` past the end.
    func current(_ type: Any.Type) throws -> (JSONValue, JSONCodingKey) {
        let key = JSONCodingKey(intValue: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, DecodingError.Context(
                codingPath: decoder.path(appending: key),
                debugDescription: "expected an element at index \(currentIndex), but the array has \(elements.count)"
            ))
        }
        return (elements[currentIndex], key)
    }

    mutating func decodeNil() throws -> Bool {
        let (value, _) = try current(Any?.self)
        guard case .null = value else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let (value, key) = try current(type)
        let result = try decoder.unwrapBool(value, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: String.Type) throws -> String {
        let (value, key) = try current(type)
        let result = try decoder.unwrapString(value, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let (value, key) = try current(type)
        let result = try decoder.unwrapDouble(value, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        let (value, key) = try current(type)
        let result = try decoder.unwrapFloat(value, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Int.Type) throws -> Int {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: UInt.Type) throws -> UInt {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func decode(_ type: Int128.Type) throws -> Int128 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 {
        let (value, key) = try current(type)
        let result = try decoder.unwrapInteger(value, as: type, key: key)
        currentIndex += 1
        return result
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, key) = try current(type)
        let result = try decoder.unwrap(value, as: type, key: key)
        currentIndex += 1
        return result
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, key) = try current([String: Any].self)
        let container = try decoder.child(value, key: key).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, key) = try current([Any].self)
        let container = try decoder.child(value, key: key).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, key) = try current(Any.self)
        currentIndex += 1
        return decoder.child(value, key: key)
    }
}
