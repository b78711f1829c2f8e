/// The unkeyed container of an array being written: each element is written in place.
struct ArrayEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONStreamEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.elementCount }

    mutating func encodeNil() throws {
        encoder.element { encoder.sink.writeNull() }
    }

    mutating func encode(_ value: Bool) throws {
        encoder.element { encoder.sink.writeBool(value) }
    }
    mutating func encode(_ value: String) throws {
        encoder.element { encoder.sink.writeString(value) }
    }
    mutating func encode(_ value: Double) throws {
        try encoder.element { try encoder.sink.writeDouble(value, path: { encoder.codingPath + [JSONCodingKey(intValue: count)] }) }
    }
    mutating func encode(_ value: Float) throws {
        try encoder.element { try encoder.sink.writeFloat(value, path: { encoder.codingPath + [JSONCodingKey(intValue: count)] }) }
    }
    mutating func encode(_ value: Int) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: Int8) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: Int16) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: Int32) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: Int64) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt8) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt16) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt32) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode(_ value: UInt64) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: Int128) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func encode(_ value: UInt128) throws {
        encoder.element { encoder.sink.writeInteger(value) }
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.element {
            try encoder.sink.encodeValue(value, parent: encoder, key: JSONCodingKey(intValue: count))
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.deferredElement().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.deferredElement().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        encoder.deferredElement()
    }
}
