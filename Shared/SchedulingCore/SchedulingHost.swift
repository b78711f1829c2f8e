import Foundation

/// A host as the engine needs it: `{id, time_zone}` on the wire (an IANA name).
package struct SchedulingHost: Hashable, Sendable, Codable {
    /// The host's user id.
    package var id: UUID
    /// The zone the host's rules and overrides are written in.
    package var timeZone: TimeZone
    /// The zone's name as the host gave it (`UTC`, `Asia/Calcutta`): answers echo it, since
    /// Foundation spells some zones otherwise (`UTC` as `GMT`).
    package var timeZoneName: String

    /// A host with `id` in `timeZone`, named `timeZoneName` (by default the zone's identifier).
    package init(id: UUID, timeZone: TimeZone, timeZoneName: String? = nil) {
        self.id = id
        self.timeZone = timeZone
        self.timeZoneName = timeZoneName ?? timeZone.identifier
    }

    /// A host with `id` in the zone `zone`.
    package init(id: UUID, zone: NamedTimeZone) {
        self.init(id: id, timeZone: zone.timeZone, timeZoneName: zone.name)
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
        guard let zone = NamedTimeZone(name) else {
            throw DecodingError.dataCorruptedError(forKey: .timeZone, in: container, debugDescription: NamedTimeZone.invalidMessage)
        }
        timeZone = zone.timeZone
        timeZoneName = zone.name
    }

    /// Encodes the contract's JSON shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(timeZoneName, forKey: .timeZone)
    }
}
