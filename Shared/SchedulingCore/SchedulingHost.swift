import Foundation

/// A host as the engine needs it: `{id, time_zone}` on the wire (an IANA name).
package struct SchedulingHost: Hashable, Sendable, Codable {
    /// The host's user id.
    package var id: UUID
    /// The zone the host's rules and overrides are written in.
    package var timeZone: TimeZone

    /// A host with `id` in `timeZone`.
    package init(id: UUID, timeZone: TimeZone) {
        self.id = id
        self.timeZone = timeZone
    }

    enum CodingKeys: String, CodingKey {
        case id
        case timeZone = "time_zone"
    }

    /// Decodes the contract's JSON shape.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        let name = try container.decode(String.self, forKey: .timeZone)
        guard let zone = TimeZone(identifier: name) else {
            throw DecodingError.dataCorruptedError(forKey: .timeZone, in: container, debugDescription: "unknown time zone")
        }
        timeZone = zone
    }

    /// Encodes the contract's JSON shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(timeZone.identifier, forKey: .timeZone)
    }
}
