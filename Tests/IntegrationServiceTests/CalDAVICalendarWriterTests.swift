import Foundation
import ICalendar
@testable import IntegrationService
import Testing

@Suite struct CalDAVICalendarWriterTests {
    static let meeting = CalendarMeeting(
        bookingID: UUID(uuidString: "6F0E7C1A-3B1D-4E2A-9C55-0D1E2F3A4B5C")!,
        title: "Intro call, Q3; \"plans\" \\ more",
        description: "Agenda:\n1. Hello\r\n2. Ünïcödé 🎉 " + String(repeating: "long text é ", count: 20),
        start: Date(timeIntervalSince1970: 1_804_500_000),
        end: Date(timeIntervalSince1970: 1_804_501_800),
        inviteeName: "Doe, \"Jane\"",
        inviteeEmail: "jane@example.com",
        sequence: 2
    )
    static let stamp = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func writesTheMeetingAsOneConfirmedOpaqueEvent() throws {
        let text = ICalendarMeetingWriter.calendarObject(for: Self.meeting, stamp: Self.stamp)
        let lines = ICalendarContentLine.unfold(text)
        #expect(lines.first == "BEGIN:VCALENDAR")
        #expect(lines.last == "END:VCALENDAR")
        #expect(lines.contains("VERSION:2.0"))
        #expect(lines.contains("PRODID:-//Rendezvous//Integration//EN"))
        #expect(lines.contains("UID:6f0e7c1a-3b1d-4e2a-9c55-0d1e2f3a4b5c@rendezvous"))
        #expect(lines.contains("DTSTAMP:20270115T080000Z"))
        #expect(lines.contains("DTSTART:20270308T100000Z"))
        #expect(lines.contains("DTEND:20270308T103000Z"))
        #expect(lines.contains("SEQUENCE:2"))
        #expect(lines.contains(#"SUMMARY:Intro call\, Q3\; "plans" \\ more"#))
        #expect(lines.contains(#"ATTENDEE;CN="Doe, Jane";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:jane@example.com"#))
        #expect(lines.contains("STATUS:CONFIRMED"))
        #expect(lines.contains("TRANSP:OPAQUE"))
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
    }

    @Test func endsEveryLineWithCRLFAndFoldsAt75Octets() {
        let text = ICalendarMeetingWriter.calendarObject(for: Self.meeting, stamp: Self.stamp)
        #expect(text.hasSuffix("\r\n"))
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            #expect(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"))
        }
        let physicalLines = text.components(separatedBy: "\r\n").dropLast()
        #expect(physicalLines.allSatisfy { $0.utf8.count <= 75 })
        // The long description was folded, and every piece is valid UTF-8 on its own.
        #expect(physicalLines.filter { $0.hasPrefix(" ") }.count >= 3)
        for line in physicalLines {
            #expect(!line.contains("\u{FFFD}"))
        }
    }

    @Test(arguments: [
        ("a,b;c\\d", #"a\,b\;c\\d"#),
        ("one\ntwo\r\nthree\rfour", #"one\ntwo\nthree\nfour"#),
        ("tab\there\u{7}", "tabhere"),
    ])
    func escapesText(input: String, escaped: String) {
        #expect(ICalendarText.escape(input) == escaped)
    }

    @Test func foldsWithoutSplittingCharacters() {
        let line = "DESCRIPTION:" + String(repeating: "é", count: 100) + String(repeating: "🎉", count: 30)
        let folded = ICalendarText.fold(line)
        let pieces = folded.components(separatedBy: "\r\n ")
        #expect(pieces.count > 2)
        #expect(pieces.first!.utf8.count <= 75)
        #expect(pieces.dropFirst().allSatisfy { $0.utf8.count <= 74 })
        #expect(pieces.joined() == line)
        #expect(ICalendarContentLine.unfold(folded) == [line])
    }

    @Test func roundTripsThroughTheReader() throws {
        let text = ICalendarMeetingWriter.calendarObject(for: Self.meeting, stamp: Self.stamp)
        let events = ICalendarBusyReader(hostTimeZone: TimeZone(identifier: "Asia/Tokyo")!).busyEvents(in: text)
        #expect(events == [ExternalBusyEvent(externalID: Self.meeting.icalendarUID, start: Self.meeting.start, end: Self.meeting.end)])

        let event = try #require(ICalendarComponent.parse(text).first?.components.first { $0.name == "VEVENT" })
        #expect(event.property("SUMMARY")?.textValue == Self.meeting.title)
        #expect(event.property("DESCRIPTION")?.textValue == Self.meeting.description.replacingOccurrences(of: "\r\n", with: "\n"))
        #expect(event.property("ATTENDEE")?.parameters["CN"] == "Doe, Jane")
    }

    @Test func leavesOutEmptyDescriptionAndAttendee() {
        var meeting = Self.meeting
        meeting.description = ""
        meeting.inviteeEmail = ""
        let lines = ICalendarContentLine.unfold(ICalendarMeetingWriter.calendarObject(for: meeting, stamp: Self.stamp))
        #expect(!lines.contains { $0.hasPrefix("DESCRIPTION") || $0.hasPrefix("ATTENDEE") })
    }
}
