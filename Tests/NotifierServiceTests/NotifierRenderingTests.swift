import Events
import Foundation
import ICalendar
import Testing
@testable import NotifierService

/// Formatting, templates, iCalendar and MIME, without servers.
@Suite("Notifier: rendering")
struct NotifierRenderingTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("times read in each zone, on both sides of the spring and autumn changes", arguments: [
        ("2024-01-15T19:00:00Z", "America/New_York", "New York", "Monday, Jan 15, 2024 at 2:00 PM EST"),
        ("2024-01-15T19:00:00Z", "Europe/London", "London", "Monday, Jan 15, 2024 at 7:00 PM GMT"),
        ("2027-03-16T14:00:00Z", "America/New_York", "New York", "Tuesday, Mar 16, 2027 at 10:00 AM EDT"),
        ("2027-03-16T14:00:00Z", "Europe/London", "London", "Tuesday, Mar 16, 2027 at 2:00 PM GMT"),
        ("2027-03-30T14:00:00Z", "Europe/London", "London", "Tuesday, Mar 30, 2027 at 3:00 PM BST"),
        ("2026-11-01T05:30:00Z", "America/New_York", "New York", "Sunday, Nov 1, 2026 at 1:30 AM EDT"),
        ("2026-11-01T06:30:00Z", "America/New_York", "New York", "Sunday, Nov 1, 2026 at 1:30 AM EST"),
        ("2026-03-10T14:00:00Z", "America/Argentina/Buenos_Aires", "Buenos Aires", "Tuesday, Mar 10, 2026 at 11:00 AM GMT-3"),
        ("2026-01-10T01:00:00Z", "Australia/Sydney", "Sydney", "Saturday, Jan 10, 2026 at 12:00 PM AEDT"),
        ("2026-01-10T12:00:00Z", "Europe/Berlin", "Berlin", "Saturday, Jan 10, 2026 at 1:00 PM CET"),
        ("2026-01-10T12:00:00Z", "UTC", "UTC", "Saturday, Jan 10, 2026 at 12:00 PM UTC"),
    ])
    func localTimes(instant: String, zone: String, place: String, text: String) {
        let local = MeetingTimeFormatter().localTime(Self.date(instant), in: zone)
        #expect(local.place == place)
        #expect(local.text == text)
    }

    @Test("iCalendar text is escaped and long lines fold at 75 octets without splitting a character")
    func iCalendarText() {
        #expect(ICalendarText.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
        #expect(ICalendarText.parameter("Ann \"The\" O'Neil") == "\"Ann The O'Neil\"")
        #expect(ICalendarText.utc(Self.date("2027-03-16T14:05:09Z")) == "20270316T140509Z")
        let long = "DESCRIPTION:" + String(repeating: "é", count: 100)
        let folded = ICalendarText.fold(long)
        let lines = folded.components(separatedBy: "\r\n")
        #expect(lines.count > 2)
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(lines.first! + lines.dropFirst().map { String($0.dropFirst()) }.joined() == long)
        #expect(ICalendarText.contentLines("A:1\n\nB:2\n") == "A:1\r\nB:2\r\n")
    }

    @Test("a message has both alternatives and the invitation, base64 lines of 76, an encoded subject and no header injection")
    func message() {
        let email = RenderedEmail(
            subject: "Réunion confirmée", text: "Hello\n", html: "<p>Hello</p>",
            calendar: .init(method: "REQUEST", content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        )
        let message = EmailMessage(
            from: "noreply@rendezvous.local", fromName: "Rendezvous", to: "ivy@example.com\r\nBcc: evil@example.com",
            messageID: "<abc@rendezvous.local>", date: Self.date("2026-11-22T05:04:04Z"), email: email, kind: "confirmation"
        )
        let text = String(decoding: message.bytes, as: UTF8.self)
        #expect(!text.contains("\r\nBcc:"))
        #expect(text.contains("Date: Sun, 22 Nov 2026 05:04:04 +0000\r\n"))
        #expect(text.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 998 })
        let entity = MIMEEntity(text)
        #expect(entity.subject == "Réunion confirmée")
        #expect(entity.contentType.hasPrefix("multipart/mixed"))
        #expect(entity.leaf("text/plain")?.decodedBody == "Hello\n")
        #expect(entity.leaf("text/html")?.decodedBody == "<p>Hello</p>")
        #expect(entity.leaf("text/calendar")?.parameter("method") == "REQUEST")
        #expect(entity.leaf("text/calendar")?.headers["content-disposition"]?.hasPrefix("attachment") == true)
        #expect(EmailMessage.encodedWord(String(repeating: "ü", count: 60)).split(separator: "\r\n").allSatisfy { $0.count <= 76 })
    }

    @Test("every kind renders for both recipients from the bundled templates; plain text is not HTML-escaped, HTML is")
    func templates() throws {
        let renderer = NotificationRenderer(templates: try EmailTemplates.bundled(), publicBaseURL: "https://rendezvous.example/")
        let booking = BookingSnapshot(
            id: UUID(), hostUserID: UUID(), meetingTypeID: UUID(), status: "confirmed",
            startTime: Self.date("2027-03-16T14:00:00Z"), endTime: Self.date("2027-03-16T14:45:00Z"),
            bufferBeforeMinutes: 0, bufferAfterMinutes: 0, inviteeName: "Zoë <Z> & Co", inviteeEmail: "zoe@example.com",
            inviteeTimezone: "Europe/London", answers: [:], version: 1
        )
        let host = NotificationDirectory.Host(email: "hana@example.com", name: "Hana O'Host", timeZone: "America/New_York")
        var previous = booking
        previous.startTime = Self.date("2027-03-15T14:00:00Z")
        for kind in NotificationKind.allCases {
            for role in [RecipientRole.invitee, .host] {
                let payload = NotificationPayload(
                    booking: booking, previous: kind == .reschedule ? previous : nil, reason: kind == .cancellation ? "Sick; sorry" : nil,
                    cancelledBy: kind == .cancellation ? "host" : nil, sealedCancelToken: nil, calendarUID: "u@rendezvous",
                    calendarSequence: 0, integrationID: kind == .reconnectCalendar ? UUID() : nil, provider: kind == .reconnectCalendar ? "google" : nil
                )
                let notification = ScheduledNotification(
                    dedupeKey: "k", bookingID: booking.id, hostUserID: booking.hostUserID, kind: kind, role: kind == .reconnectCalendar ? .host : role,
                    recipient: role == .invitee ? booking.inviteeEmail : host.email, payload: payload, dueAt: Date()
                )
                let email = try renderer.render(notification, details: .init(host: host, meetingTypeName: "Intro", cancelToken: "tok-123"), now: Date())
                #expect(!email.subject.isEmpty && !email.subject.contains("\n"))
                #expect(!email.text.contains("{{") && !email.html.contains("{{"))
                #expect(!email.text.contains("&amp;") && !email.text.contains("&#"))
                if kind == .reconnectCalendar {
                    #expect(email.text.contains("https://rendezvous.example/integrations"))
                    #expect(email.text.contains("Google"))
                    #expect(email.calendar == nil)
                    continue
                }
                #expect(email.html.contains("Zoë &lt;Z&gt; &amp; Co") || role == .invitee)
                #expect(email.text.contains("10:00 AM EDT") && email.text.contains("2:00 PM GMT"))
                let calendar = ICalendarObject(try #require(email.calendar).content)
                #expect(calendar.problems.isEmpty, "\(kind) \(role): \(calendar.problems)")
                #expect(calendar.value("METHOD") == (kind == .cancellation ? "CANCEL" : "REQUEST"))
                let hasLinks = email.text.contains("https://rendezvous.example/bookings/\(booking.id.uuidString.lowercased())/reschedule?token=tok-123")
                #expect(hasLinks == (role == .invitee && kind != .cancellation), "\(kind) \(role)")
                if kind == .cancellation { #expect(email.text.contains("Reason: Sick; sorry")) }
                if kind == .reschedule { #expect(email.text.contains("Monday, Mar 15, 2027")) }
            }
        }
    }
}
