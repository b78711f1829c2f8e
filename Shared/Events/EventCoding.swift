import Foundation

/// The JSON coders for envelopes and event data.
///
/// Keys are spelled out by each type's `CodingKeys` (snake_case), never converted by a key
/// strategy: that would also rewrite the keys of dictionaries such as a booking's `answers`.
/// Instants are RFC 3339 in UTC with whole seconds (`2026-03-10T14:00:00Z`); any RFC 3339 form is read.
package enum EventCoding {
    /// Encodes envelopes: sorted keys, unescaped slashes, ISO 8601 instants.
    package static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Decodes envelopes (ISO 8601 instants with or without a fraction).
    package static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
