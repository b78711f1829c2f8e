import Foundation
import ICalendar

/// Writes a ``CalendarMeeting`` as an iCalendar object (RFC 5545) for a CalDAV `PUT`.
///
/// The escaping and folding rules are `ICalendarText`'s, shared with the notifier's invitations:
/// TEXT escaped, UTC date-times, CRLF lines folded at 75 octets without splitting a UTF-8 sequence.
package enum ICalendarMeetingWriter {
    /// The `PRODID` of what Rendezvous writes.
    package static let productID = "-//Rendezvous//Integration//EN"

    /// The object for `meeting`; `stamp` is the `DTSTAMP` (when it was written).
    package static func calendarObject(for meeting: CalendarMeeting, stamp: Date = Date()) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:\(productID)",
            "CALSCALE:GREGORIAN",
            "BEGIN:VEVENT",
            "UID:\(ICalendarText.escape(meeting.icalendarUID))",
            "DTSTAMP:\(ICalendarText.utc(stamp))",
            "DTSTART:\(ICalendarText.utc(meeting.start))",
            "DTEND:\(ICalendarText.utc(meeting.end))",
            "SEQUENCE:\(max(0, meeting.sequence))",
            "SUMMARY:\(ICalendarText.escape(meeting.title))",
        ]
        if !meeting.description.isEmpty { lines.append("DESCRIPTION:\(ICalendarText.escape(meeting.description))") }
        if !meeting.inviteeEmail.isEmpty {
            var attendee = "ATTENDEE"
            if !meeting.inviteeName.isEmpty { attendee += ";CN=\(ICalendarText.parameter(meeting.inviteeName))" }
            attendee += ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:\(uriSafe(meeting.inviteeEmail))"
            lines.append(attendee)
        }
        lines += [
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(ICalendarText.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// An address for a `mailto:` URI, without characters that would end or break the line.
    static func uriSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
    }
}
