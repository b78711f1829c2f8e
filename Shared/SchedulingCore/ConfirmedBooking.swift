import Foundation

/// A confirmed booking as busy time: `{id, meeting_type_id, start_time, end_time,
/// buffer_before_minutes, buffer_after_minutes}` on the wire.
///
/// It is busy over `[start - buffer_before, end + buffer_after)` using the buffers stored
/// on the booking (a later edit of its meeting type does not change them), and it counts
/// against its meeting type's daily cap on the host-local day of `start`.
package struct ConfirmedBooking: Hashable, Sendable, Codable {
    /// The booking's id (lets a reschedule exclude the booking being moved).
    package var id: UUID
    /// The meeting type it was booked for (the daily cap counts per type).
    package var meetingTypeID: UUID
    /// Start instant.
    package var start: Date
    /// End instant (exclusive).
    package var end: Date
    /// Buffer before, minutes, as stored on the booking.
    package var bufferBeforeMinutes: Int
    /// Buffer after, minutes, as stored on the booking.
    package var bufferAfterMinutes: Int

    /// A confirmed booking.
    package init(id: UUID, meetingTypeID: UUID, start: Date, end: Date, bufferBeforeMinutes: Int = 0, bufferAfterMinutes: Int = 0) {
        self.id = id
        self.meetingTypeID = meetingTypeID
        self.start = start
        self.end = end
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
    }

    /// The busy range, buffers included, in epoch seconds (rounded outward).
    var busyInterval: EpochInterval {
        EpochInterval(
            start: Int(start.timeIntervalSince1970.rounded(.down)) - bufferBeforeMinutes * 60,
            end: Int(end.timeIntervalSince1970.rounded(.up)) + bufferAfterMinutes * 60
        )
    }

    enum CodingKeys: String, CodingKey {
        case id
        case meetingTypeID = "meeting_type_id"
        case start = "start_time"
        case end = "end_time"
        case bufferBeforeMinutes = "buffer_before_minutes"
        case bufferAfterMinutes = "buffer_after_minutes"
    }

    /// Decodes the contract's JSON shape.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        meetingTypeID = try container.decode(UUID.self, forKey: .meetingTypeID)
        start = try RFC3339Instant.decode(container, .start)
        end = try RFC3339Instant.decode(container, .end)
        bufferBeforeMinutes = try container.decodeIfPresent(Int.self, forKey: .bufferBeforeMinutes) ?? 0
        bufferAfterMinutes = try container.decodeIfPresent(Int.self, forKey: .bufferAfterMinutes) ?? 0
    }

    /// Encodes the contract's JSON shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(meetingTypeID, forKey: .meetingTypeID)
        try container.encode(RFC3339Instant.string(from: start), forKey: .start)
        try container.encode(RFC3339Instant.string(from: end), forKey: .end)
        try container.encode(bufferBeforeMinutes, forKey: .bufferBeforeMinutes)
        try container.encode(bufferAfterMinutes, forKey: .bufferAfterMinutes)
    }
}
