/// The keyed container of an object being written; keys are converted by the encoder's
/// key strategy as they are written, and put in order when the object closes.
struct ObjectEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONStreamEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeNull() }
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeBool(value) }
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeString(value) }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try encoder.member(key.stringValue, convert: encoder.convertsKeys) { try encoder.sink.writeDouble(value, path: { encoder.codingPath + [key] }) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try encoder.member(key.stringValue, convert: encoder.convertsKeys) { try encoder.sink.writeFloat(value, path: { encoder.codingPath + [key] }) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: Int128, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: UInt128, forKey key: Key) throws {
        encoder.member(key.stringValue, convert: encoder.convertsKeys) { encoder.sink.writeInteger(value) }
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.member(key.stringValue, convert: encoder.convertsKeys) {
            try encoder.sink.encodeValue(value, parent: encoder, key: key)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.deferredMember(key.stringValue, convert: encoder.convertsKeys, codingKey: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.deferredMember(key.stringValue, convert: encoder.convertsKeys, codingKey: key).unkeyedContainer()
    }

    /// An encoder for the member `super`; `{}` if nothing is encoded into it.
    mutating func superEncoder() -> any Encoder {
        encoder.deferredMember("super", convert: encoder.convertsKeys, codingKey: JSONCodingKey(stringValue: "super"))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.deferredMember(key.stringValue, convert: encoder.convertsKeys, codingKey: key)
    }
}
