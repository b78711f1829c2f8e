import Foundation

/// A booking as it stood when an event was written: everything a consumer needs without a look-up.
package struct BookingSnapshot: Codable, Sendable, Equatable {
    /// The booking id.
    package var id: UUID
    /// The host who is booked.
    package var hostUserID: UUID
    /// The meeting type booked.
    package var meetingTypeID: UUID
    /// `confirmed`, `cancelled` or `rescheduled`.
    package var status: String
    /// The meeting's start (UTC instant).
    package var startTime: Date
    /// The meeting's end (UTC instant).
    package var endTime: Date
    /// Buffer kept free before the meeting, in minutes.
    package var bufferBeforeMinutes: Int
    /// Buffer kept free after the meeting, in minutes.
    package var bufferAfterMinutes: Int
    /// The invitee's name.
    package var inviteeName: String
    /// The invitee's email address.
    package var inviteeEmail: String
    /// The invitee's IANA time zone, e.g. `Europe/Paris`.
    package var inviteeTimezone: String
    /// The invitee's answers to the meeting type's questions, by question key.
    package var answers: [String: String]
    /// The booking's optimistic-lock version.
    package var version: Int
    /// The booking this one replaced, for a rescheduled booking.
    package var rescheduledFrom: UUID?

    /// A snapshot from its parts.
    package init(
        id: UUID,
        hostUserID: UUID,
        meetingTypeID: UUID,
        status: String,
        startTime: Date,
        endTime: Date,
        bufferBeforeMinutes: Int,
        bufferAfterMinutes: Int,
        inviteeName: String,
        inviteeEmail: String,
        inviteeTimezone: String,
        answers: [String: String],
        version: Int,
        rescheduledFrom: UUID? = nil
    ) {
        self.id = id
        self.hostUserID = hostUserID
        self.meetingTypeID = meetingTypeID
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.inviteeName = inviteeName
        self.inviteeEmail = inviteeEmail
        self.inviteeTimezone = inviteeTimezone
        self.answers = answers
        self.version = version
        self.rescheduledFrom = rescheduledFrom
    }

    enum CodingKeys: String, CodingKey {
        case id
        case hostUserID = "host_user_id"
        case meetingTypeID = "meeting_type_id"
        case status
        case startTime = "start_time"
        case endTime = "end_time"
        case bufferBeforeMinutes = "buffer_before_minutes"
        case bufferAfterMinutes = "buffer_after_minutes"
        case inviteeName = "invitee_name"
        case inviteeEmail = "invitee_email"
        case inviteeTimezone = "invitee_timezone"
        case answers
        case version
        case rescheduledFrom = "rescheduled_from"
    }
}
