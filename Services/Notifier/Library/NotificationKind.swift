/// What an email is about; the `kind` column and the audit log's `type`.
package enum NotificationKind: String, Sendable, Codable, CaseIterable {
    /// The booking was made.
    case confirmation
    /// 24 hours before the start.
    case reminder24h = "reminder_24h"
    /// 1 hour before the start.
    case reminder1h = "reminder_1h"
    /// The booking was cancelled (with the reason).
    case cancellation
    /// The booking moved (old and new time).
    case reschedule
    /// A calendar integration lost its authorization; the host must connect it again.
    case reconnectCalendar = "reconnect_calendar"

    /// How long before the start a reminder is due; nil for other kinds.
    var reminderLead: Double? {
        switch self {
        case .reminder24h: 24 * 3600
        case .reminder1h: 3600
        default: nil
        }
    }

    /// The template names (`<name>.subject`, `<name>.text`, `<name>.html`).
    var templateName: String {
        switch self {
        case .reminder24h, .reminder1h: "reminder"
        default: rawValue
        }
    }
}

/// Who an email goes to.
package enum RecipientRole: String, Sendable, Codable {
    /// The person who booked.
    case invitee
    /// The host who is booked.
    case host
}
