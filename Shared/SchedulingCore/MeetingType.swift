import Foundation

/// The scheduling fields of a meeting type, in the contract's JSON shape (`duration_minutes`,
/// `buffer_before_minutes`, …); missing optional fields take the contract's defaults, and
/// other fields of the resource (name, slug, color…) are ignored when decoding.
package struct MeetingType: Hashable, Sendable, Codable {
    /// The meeting type's id.
    package var id: UUID
    /// The host's user id.
    package var userID: UUID
    /// Length of a meeting, minutes (> 0).
    package var durationMinutes: Int
    /// Free time required before a meeting, minutes (≥ 0); may fall outside the host's hours.
    package var bufferBeforeMinutes: Int
    /// Free time required after a meeting, minutes (≥ 0); may fall outside the host's hours.
    package var bufferAfterMinutes: Int
    /// Step between candidate starts, minutes (> 0); 15 by default.
    package var slotIntervalMinutes: Int
    /// At most this many confirmed bookings of this type per host-local day; `nil` means no cap.
    package var maxBookingsPerDay: Int?
    /// A start must be at least this many minutes after "now".
    package var minNoticeMinutes: Int
    /// A start must be before "now" + this many days of 24 hours.
    package var maxDaysInFuture: Int
    /// Inactive types offer no slots.
    package var isActive: Bool

    /// A meeting type; the defaults are the contract's.
    package init(
        id: UUID,
        userID: UUID,
        durationMinutes: Int,
        bufferBeforeMinutes: Int = 0,
        bufferAfterMinutes: Int = 0,
        slotIntervalMinutes: Int = 15,
        maxBookingsPerDay: Int? = nil,
        minNoticeMinutes: Int = 0,
        maxDaysInFuture: Int = 60,
        isActive: Bool = true
    ) {
        self.id = id
        self.userID = userID
        self.durationMinutes = durationMinutes
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.slotIntervalMinutes = slotIntervalMinutes
        self.maxBookingsPerDay = maxBookingsPerDay
        self.minNoticeMinutes = minNoticeMinutes
        self.maxDaysInFuture = maxDaysInFuture
        self.isActive = isActive
    }

    /// Whether `start` passes the minimum notice and the booking window at `now`:
    /// `start >= now + min_notice` and `start < now + max_days_in_future × 24 h`.
    ///
    /// Use it to filter slots computed earlier (a cache entry) by the current time.
    package func admitsStart(_ start: Date, now: Date) -> Bool {
        let seconds = start.timeIntervalSince1970
        let reference = now.timeIntervalSince1970
        return seconds >= reference + Double(minNoticeMinutes) * 60
            && seconds < reference + Double(maxDaysInFuture) * 86_400
    }

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case durationMinutes = "duration_minutes"
        case bufferBeforeMinutes = "buffer_before_minutes"
        case bufferAfterMinutes = "buffer_after_minutes"
        case slotIntervalMinutes = "slot_interval_minutes"
        case maxBookingsPerDay = "max_bookings_per_day"
        case minNoticeMinutes = "min_notice_minutes"
        case maxDaysInFuture = "max_days_in_future"
        case isActive = "is_active"
    }

    /// Decodes the contract's JSON shape.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        userID = try container.decode(UUID.self, forKey: .userID)
        durationMinutes = try container.decode(Int.self, forKey: .durationMinutes)
        bufferBeforeMinutes = try container.decodeIfPresent(Int.self, forKey: .bufferBeforeMinutes) ?? 0
        bufferAfterMinutes = try container.decodeIfPresent(Int.self, forKey: .bufferAfterMinutes) ?? 0
        slotIntervalMinutes = try container.decodeIfPresent(Int.self, forKey: .slotIntervalMinutes) ?? 15
        maxBookingsPerDay = try container.decodeIfPresent(Int.self, forKey: .maxBookingsPerDay)
        minNoticeMinutes = try container.decodeIfPresent(Int.self, forKey: .minNoticeMinutes) ?? 0
        maxDaysInFuture = try container.decodeIfPresent(Int.self, forKey: .maxDaysInFuture) ?? 60
        isActive = try container.decodeIfPresent(Bool.self, forKey: .isActive) ?? true
    }

    /// Encodes the contract's JSON shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(userID, forKey: .userID)
        try container.encode(durationMinutes, forKey: .durationMinutes)
        try container.encode(bufferBeforeMinutes, forKey: .bufferBeforeMinutes)
        try container.encode(bufferAfterMinutes, forKey: .bufferAfterMinutes)
        try container.encode(slotIntervalMinutes, forKey: .slotIntervalMinutes)
        // Explicit null: the contract lists the field even when there is no cap.
        try container.encode(maxBookingsPerDay, forKey: .maxBookingsPerDay)
        try container.encode(minNoticeMinutes, forKey: .minNoticeMinutes)
        try container.encode(maxDaysInFuture, forKey: .maxDaysInFuture)
        try container.encode(isActive, forKey: .isActive)
    }
}
