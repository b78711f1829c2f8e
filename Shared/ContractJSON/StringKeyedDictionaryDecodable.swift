/// Marks `[String: V]`, which decodes with its keys exactly as sent: the key strategy is for
/// a type's coding keys, and a map's keys are data (`{"my_topic": …}` stays `my_topic`).
protocol StringKeyedDictionaryDecodable {
    /// The dictionary of `object`'s members, each value decoded at its raw key.
    static func decodeRawKeys(of object: JSONObject, with decoder: JSONValueDecoder) throws -> Self
}

extension Dictionary: StringKeyedDictionaryDecodable where Key == String, Value: Decodable {
    static func decodeRawKeys(of object: JSONObject, with decoder: JSONValueDecoder) throws -> Self {
        var result = Self(minimumCapacity: object.count)
        for (key, value) in object {
            guard !key.utf8.contains(0) else {
                throw DecodingError.dataCorrupted(DecodingError.Context(
                    codingPath: decoder.codingPath + [JSONCodingKey(key)], debugDescription: "must not contain the NUL character (\\u0000)"
                ))
            }
            result[key] = try decoder.unwrap(value, as: Value.self, key: JSONCodingKey(key))
        }
        return result
    }
}
