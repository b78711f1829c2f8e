import Foundation
import Hummingbird

/// A meeting type as its host sees it: `{id, user_id, …every field…, created_at, updated_at}`,
/// nullable fields written as `null` rather than left out.
struct MeetingTypeResource: ResponseEncodable, Sendable, Equatable {
    var id: UUID
    var userID: UUID
    var fields: MeetingTypeFields
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, userID = "userId", name, slug, description, color, durationMinutes, bufferBeforeMinutes, bufferAfterMinutes
        case slotIntervalMinutes, maxBookingsPerDay, minNoticeMinutes, maxDaysInFuture, isActive, createdAt, updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(userID, forKey: .userID)
        try container.encode(fields.name, forKey: .name)
        try container.encode(fields.slug, forKey: .slug)
        try container.encode(fields.description, forKey: .description)
        try container.encode(fields.color, forKey: .color)
        try container.encode(fields.durationMinutes, forKey: .durationMinutes)
        try container.encode(fields.bufferBeforeMinutes, forKey: .bufferBeforeMinutes)
        try container.encode(fields.bufferAfterMinutes, forKey: .bufferAfterMinutes)
        try container.encode(fields.slotIntervalMinutes, forKey: .slotIntervalMinutes)
        try container.encode(fields.maxBookingsPerDay, forKey: .maxBookingsPerDay)
        try container.encode(fields.minNoticeMinutes, forKey: .minNoticeMinutes)
        try container.encode(fields.maxDaysInFuture, forKey: .maxDaysInFuture)
        try container.encode(fields.isActive, forKey: .isActive)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What anyone may read of an active meeting type (a booking page): no buffers, no daily cap, plus
/// `host: {name, slug, time_zone}`.
struct PublicMeetingType: ResponseEncodable, Sendable, Equatable {
    struct Host: Encodable, Sendable, Equatable {
        var name: String
        var slug: String
        var timeZone: String
    }

    var id: UUID
    var name: String
    var slug: String
    var description: String?
    var color: String?
    var durationMinutes: Int
    var slotIntervalMinutes: Int
    var minNoticeMinutes: Int
    var maxDaysInFuture: Int
    var host: Host

    enum CodingKeys: String, CodingKey {
        case id, name, slug, description, color, durationMinutes, slotIntervalMinutes, minNoticeMinutes, maxDaysInFuture, host
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(slug, forKey: .slug)
        try container.encode(description, forKey: .description)
        try container.encode(color, forKey: .color)
        try container.encode(durationMinutes, forKey: .durationMinutes)
        try container.encode(slotIntervalMinutes, forKey: .slotIntervalMinutes)
        try container.encode(minNoticeMinutes, forKey: .minNoticeMinutes)
        try container.encode(maxDaysInFuture, forKey: .maxDaysInFuture)
        try container.encode(host, forKey: .host)
    }
}

/// `GET /api/public/{user_slug}`: a host's booking page, `{host, meeting_types}` (active types only).
struct PublicHostPage: ResponseEncodable, Sendable, Equatable {
    var host: PublicMeetingType.Host
    var meetingTypes: [PublicMeetingType]
}
