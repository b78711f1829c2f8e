import Events
import Foundation

/// What a scheduled email shows that the database may no longer say when it is sent: the
/// booking as the event described it, the previous booking of a reschedule, the reason of a
/// cancellation, the invitee's cancel token (still sealed) and the iCalendar identity.
/// Stored as `scheduled_notifications.payload`.
struct NotificationPayload: Codable, Sendable, Equatable {
    /// The booking the email is about.
    var booking: BookingSnapshot?
    /// For a reschedule: the booking it replaced.
    var previous: BookingSnapshot?
    /// For a cancellation: the reason given, if any.
    var reason: String?
    /// For a cancellation: `host` or `invitee`.
    var cancelledBy: String?
    /// The invitee's cancel token, sealed as the booking service sent it (opened only to render).
    var sealedCancelToken: String?
    /// The iCalendar `UID`: the first booking of a reschedule chain, so calendars update one event.
    var calendarUID: String?
    /// The iCalendar `SEQUENCE`: how often the meeting moved (and one more for a cancellation).
    var calendarSequence: Int?
    /// For `reconnect_calendar`: the integration and its provider.
    var integrationID: UUID?
    var provider: String?

    enum CodingKeys: String, CodingKey {
        case booking, previous, reason, provider
        case cancelledBy = "cancelled_by"
        case sealedCancelToken = "sealed_cancel_token"
        case calendarUID = "calendar_uid"
        case calendarSequence = "calendar_sequence"
        case integrationID = "integration_id"
    }
}
