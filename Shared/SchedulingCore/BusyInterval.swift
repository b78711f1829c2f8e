import Foundation

/// Busy time from a connected calendar, `{start_time, end_time}` on the wire; busy exactly
/// over `[start, end)` (no buffers of its own).
package struct BusyInterval: Hashable, Sendable, Codable {
    /// Start instant.
    package var start: Date
    /// End instant (exclusive).
    package var end: Date

    /// Busy over `[start, end)`.
    package init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// The range in epoch seconds (rounded outward).
    var epochInterval: EpochInterval {
        EpochInterval(start: Int(start.timeIntervalSince1970.rounded(.down)), end: Int(end.timeIntervalSince1970.rounded(.up)))
    }

    enum CodingKeys: String, CodingKey {
        case start = "start_time"
        case end = "end_time"
    }

    /// Decodes the contract's JSON shape.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = try RFC3339Instant.decode(container, .start)
        end = try RFC3339Instant.decode(container, .end)
    }

    /// Encodes the contract's JSON shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(RFC3339Instant.string(from: start), forKey: .start)
        try container.encode(RFC3339Instant.string(from: end), forKey: .end)
    }
}
