import Foundation

/// An offered slot: `{start, end, start_time, end_time}` on the wire, where `start`/`end`
/// are `HH:mm` in the zone the slot was listed for and `start_time`/`end_time` are UTC instants.
package struct Slot: Hashable, Sendable, Codable {
    /// Start instant.
    package var start: Date
    /// End instant (start + the meeting's duration).
    package var end: Date
    /// Wall-clock start in the listing's zone.
    package var localStart: WallClockTime
    /// Wall-clock end in the listing's zone (`00:00` when it ends at midnight).
    package var localEnd: WallClockTime

    /// A slot; `localStart`/`localEnd` are the wall-clock times of `start`/`end` in the listing's zone.
    package init(start: Date, end: Date, localStart: WallClockTime, localEnd: WallClockTime) {
        self.start = start
        self.end = end
        self.localStart = localStart
        self.localEnd = localEnd
    }

    enum CodingKeys: String, CodingKey {
        case localStart = "start"
        case localEnd = "end"
        case start = "start_time"
        case end = "end_time"
    }

    /// Decodes the contract's JSON shape.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        localStart = try container.decode(WallClockTime.self, forKey: .localStart)
        localEnd = try container.decode(WallClockTime.self, forKey: .localEnd)
        start = try RFC3339Instant.decode(container, .start)
        end = try RFC3339Instant.decode(container, .end)
    }

    /// Encodes the contract's JSON shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(localStart, forKey: .localStart)
        try container.encode(localEnd, forKey: .localEnd)
        try container.encode(RFC3339Instant.string(from: start), forKey: .start)
        try container.encode(RFC3339Instant.string(from: end), forKey: .end)
    }
}
