/// The keyed container over one JSON object.
///
/// A requested key is converted to its wire name (Foundation's snake-case conversion, or
/// as is) and looked up; errors carry that wire name, never the Swift name.
struct ObjectDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoder
    let object: JSONObject

    var codingPath: [any CodingKey] { decoder.codingPath }

    /// The members' keys as Foundation's `convertFromSnakeCase` reads them, for types that
    /// enumerate their keys. A type reading them back converts to snake_case again, so a
    /// member whose name does not survive that round trip is out of reach, as with Foundation.
    var allKeys: [Key] {
        switch decoder.options.keyDecoding {
        case .convertFromSnakeCase: object.keys.compactMap { Key(stringValue: SnakeCase.toCamelCase($0)) }
        case .useDefaultKeys: object.keys.compactMap { Key(stringValue: $0) }
        }
    }

    func wireKey(_ key: Key) -> JSONCodingKey {
        switch decoder.options.keyDecoding {
        case .convertFromSnakeCase: JSONCodingKey(stringValue: SnakeCase.fromCamelCase(key.stringValue))
        case .useDefaultKeys: JSONCodingKey(stringValue: key.stringValue)
        }
    }

    /// The member for `key`, or `keyNotFound` naming the wire key.
    func member(_ key: Key) throws -> (JSONValue, JSONCodingKey) {
        let wire = wireKey(key)
        guard let value = object[wire.stringValue] else {
            throw DecodingError.keyNotFound(wire, DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "missing key \"\(wire.stringValue)\""
            ))
        }
        return (value, wire)
    }

    /// The member for `key` unless it is absent or null.
    func presentMember(_ key: Key) -> (JSONValue, JSONCodingKey)? {
        let wire = wireKey(key)
        guard let value = object[wire.stringValue] else { return nil }
        if case .null = value { return nil }
        return (value, wire)
    }

    func contains(_ key: Key) -> Bool {
        object[wireKey(key).stringValue] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        let (value, _) = try member(key)
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let (value, wire) = try member(key)
        return try decoder.unwrapBool(value, key: wire)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapBool(value, key: wire)
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let (value, wire) = try member(key)
        return try decoder.unwrapString(value, key: wire)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapString(value, key: wire)
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        let (value, wire) = try member(key)
        return try decoder.unwrapDouble(value, key: wire)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapDouble(value, key: wire)
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        let (value, wire) = try member(key)
        return try decoder.unwrapFloat(value, key: wire)
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapFloat(value, key: wire)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 {
        let (value, wire) = try member(key)
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrapInteger(value, as: type, key: wire)
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (value, wire) = try member(key)
        return try decoder.unwrap(value, as: type, key: wire)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let (value, wire) = presentMember(key) else { return nil }
        return try decoder.unwrap(value, as: type, key: wire)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, wire) = try member(key)
        return try decoder.child(value, key: wire).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let (value, wire) = try member(key)
        return try decoder.child(value, key: wire).unkeyedContainer()
    }

    /// A decoder for the member `super`, over null when it is absent (as Foundation does).
    func superDecoder() throws -> any Decoder {
        let wire = JSONCodingKey(stringValue: "super")
        return decoder.child(object[wire.stringValue] ?? .null, key: wire)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let wire = wireKey(key)
        return decoder.child(object[wire.stringValue] ?? .null, key: wire)
    }
}
