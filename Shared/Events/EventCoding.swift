import ContractJSON
import Foundation

/// The JSON coders for envelopes and event data.
///
/// Keys are spelled out by each type's `CodingKeys` (snake_case), never converted by a key
/// strategy: that would also rewrite the keys of dictionaries such as a booking's `answers`.
/// Instants are RFC 3339 in UTC with whole seconds (`2026-03-10T14:00:00Z`); any RFC 3339 form is read.
package enum EventCoding {
    /// Encodes envelopes: sorted keys, unescaped slashes, whole-second UTC instants, and ids in
    /// RFC 9562's lower case (the spelling of every answer, link and log line).
    package static let encoder = ContractJSONEncoder(keyEncoding: .useDefaultKeys, dateEncoding: { $0.formatted(.iso8601) })

    /// Decodes envelopes (ISO 8601 instants with or without a fraction).
    package static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
