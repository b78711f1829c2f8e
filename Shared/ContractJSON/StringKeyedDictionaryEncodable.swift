/// Marks `[String: V]`, which encodes with its keys exactly as given, whatever the key strategy.
protocol StringKeyedDictionaryEncodable {
    /// Writes the members into `encoder`'s open object, keys raw.
    func encodeRawKeys(with encoder: JSONStreamEncoder) throws
}

extension Dictionary: StringKeyedDictionaryEncodable where Key == String, Value: Encodable {
    func encodeRawKeys(with encoder: JSONStreamEncoder) throws {
        for (key, value) in self {
            try encoder.member(key, convert: false) {
                try encoder.sink.encodeValue(value, parent: encoder, key: JSONCodingKey(stringValue: key))
            }
        }
    }
}
