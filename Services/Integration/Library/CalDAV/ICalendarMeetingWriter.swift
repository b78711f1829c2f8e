import Foundation

/// Writes a ``CalendarMeeting`` as an iCalendar object (RFC 5545) for a CalDAV `PUT`.
///
/// Mirrors the escaping and folding rules of the notifier's invitations (a separate target,
/// so not shared): TEXT escaped, UTC date-times, CRLF lines folded at 75 octets without
/// splitting a UTF-8 sequence.
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
            "UID:\(escape(meeting.icalendarUID))",
            "DTSTAMP:\(utc(stamp))",
            "DTSTART:\(utc(meeting.start))",
            "DTEND:\(utc(meeting.end))",
            "SEQUENCE:\(max(0, meeting.sequence))",
            "SUMMARY:\(escape(meeting.title))",
        ]
        if !meeting.description.isEmpty { lines.append("DESCRIPTION:\(escape(meeting.description))") }
        if !meeting.inviteeEmail.isEmpty {
            var attendee = "ATTENDEE"
            if !meeting.inviteeName.isEmpty { attendee += ";CN=\(parameter(meeting.inviteeName))" }
            attendee += ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:\(uriSafe(meeting.inviteeEmail))"
            lines.append(attendee)
        }
        lines += [
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11);
    /// other control characters dropped.
    package static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r": result += "\\n"
            case "\n": if !previousWasCR { result += "\\n" }
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { break }
                result.unicodeScalars.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return result
    }

    /// A parameter value (`CN`): quoted, without quotes and control characters, which a quoted
    /// value cannot hold (RFC 5545 §3.2).
    package static func parameter(_ text: String) -> String {
        let cleaned = text.unicodeScalars.filter { $0 != "\"" && $0.value >= 0x20 && $0.value != 0x7F }
        return "\"" + String(String.UnicodeScalarView(cleaned)) + "\""
    }

    /// An address for a `mailto:` URI, without characters that would end or break the line.
    static func uriSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
    }

    /// `20240115T140000Z` (whole seconds, rounded down).
    package static func utc(_ date: Date) -> String {
        ICalendarDateTime.utcText(Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// One content line folded so no line exceeds 75 octets: continuations start with a space
    /// (which counts), and a character (so a UTF-8 sequence) is never split.
    package static func fold(_ line: String) -> String {
        var lines: [String] = []
        var current = ""
        var currentOctets = 0
        var limit = 75
        for character in line {
            let octets = character.utf8.count
            if currentOctets + octets > limit, !current.isEmpty {
                lines.append(current)
                current = ""
                currentOctets = 0
                limit = 74
            }
            current.append(character)
            currentOctets += octets
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }
}
