import Foundation
import ICalendar
@testable import IntegrationService
import Testing

@Suite struct CalDAVICalendarReaderTests {
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// `2027-03-14T06:30:00Z` → Date.
    static func utc(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    /// One VEVENT in a VCALENDAR, CRLF lines.
    static func calendar(_ eventLines: [String], extra: [String] = []) -> String {
        (["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"] + extra + ["BEGIN:VEVENT"] + eventLines
            + ["END:VEVENT", "END:VCALENDAR"]).joined(separator: "\r\n") + "\r\n"
    }

    static func read(_ text: String, host: TimeZone = newYork) -> [ExternalBusyEvent] {
        ICalendarBusyReader(hostTimeZone: host).busyEvents(in: text)
    }

    @Test func unfoldsCRLFAndBareLFContinuations() {
        let text = "BEGIN:VEVENT\r\nDESCRIPTION:ab\r\n cd\r\n\tef\nSUMMARY:x\n y\r\n\r\nEND:VEVENT"
        #expect(ICalendarContentLine.unfold(text) == ["BEGIN:VEVENT", "DESCRIPTION:abcdef", "SUMMARY:xy", "END:VEVENT"])
    }

    @Test func unfoldsBetweenMultibyteCharacters() {
        #expect(ICalendarContentLine.unfold("SUMMARY:caf\r\n é \r\n 🎉") == ["SUMMARY:café 🎉"])
    }

    @Test func parsesParametersWithQuotedValues() throws {
        let line = try #require(ICalendarContentLine.parse(#"ATTENDEE;CN="Doe, Jane: CEO";role=REQ-PARTICIPANT;MEMBER="a","b":mailto:j@example.com"#))
        #expect(line.name == "ATTENDEE")
        #expect(line.parameters["CN"] == "Doe, Jane: CEO")
        #expect(line.parameters["ROLE"] == "REQ-PARTICIPANT")
        #expect(line.parameters["MEMBER"] == "a,b")
        #expect(line.value == "mailto:j@example.com")
    }

    @Test func unescapesText() throws {
        let line = try #require(ICalendarContentLine.parse(#"SUMMARY:a\, b\; c\\ d\nnext\Nlast"#))
        #expect(line.textValue == "a, b; c\\ d\nnext\nlast")
    }

    @Test func readsUTCTimes() {
        let events = Self.read(Self.calendar(["UID:u1", "DTSTART:20270301T090000Z", "DTEND:20270301T100000Z"]))
        #expect(events == [ExternalBusyEvent(externalID: "u1", start: Self.utc("2027-03-01T09:00:00Z"), end: Self.utc("2027-03-01T10:00:00Z"))])
    }

    @Test func readsFloatingTimesInTheHostZoneAcrossSpringForward() {
        // New York springs forward on 2027-03-14 at 02:00: 01:30 EST to 03:30 EDT is one hour.
        let events = Self.read(Self.calendar(["UID:f", "DTSTART:20270314T013000", "DTEND:20270314T033000"]))
        #expect(events == [ExternalBusyEvent(externalID: "f", start: Self.utc("2027-03-14T06:30:00Z"), end: Self.utc("2027-03-14T07:30:00Z"))])
    }

    @Test func readsTZIDTimesAcrossADSTChange() {
        // Berlin springs forward on 2027-03-28 at 02:00 CET.
        let events = Self.read(Self.calendar([
            "UID:z", "DTSTART;TZID=Europe/Berlin:20270328T010000", "DTEND;TZID=\"Europe/Berlin\":20270328T040000",
        ]))
        #expect(events == [ExternalBusyEvent(externalID: "z", start: Self.utc("2027-03-28T00:00:00Z"), end: Self.utc("2027-03-28T02:00:00Z"))])
    }

    @Test func readsAWallTimeInTheGapWithTheOffsetBeforeIt() {
        let events = Self.read(Self.calendar([
            "UID:g", "DTSTART;TZID=America/New_York:20270314T023000", "DURATION:PT1H",
        ]), host: Self.berlin)
        #expect(events.first?.start == Self.utc("2027-03-14T07:30:00Z"))
        #expect(events.first?.end == Self.utc("2027-03-14T08:30:00Z"))
    }

    @Test func readsARepeatedWallTimeAsItsFirstOccurrence() {
        // New York falls back on 2027-11-07: 01:30 happens twice; the first is EDT (05:30Z).
        let events = Self.read(Self.calendar(["UID:r", "DTSTART:20271107T013000", "DTEND:20271107T030000"]))
        #expect(events.first?.start == Self.utc("2027-11-07T05:30:00Z"))
        #expect(events.first?.end == Self.utc("2027-11-07T08:00:00Z"))
    }

    @Test func readsAllDayEventsAsWholeHostDaysAcrossFallBack() {
        // 6 and 7 November 2027 in New York: 49 hours, because the 7th has 25.
        let events = Self.read(Self.calendar(["UID:a", "DTSTART;VALUE=DATE:20271106", "DTEND;VALUE=DATE:20271108"]))
        #expect(events == [ExternalBusyEvent(externalID: "a", start: Self.utc("2027-11-06T04:00:00Z"), end: Self.utc("2027-11-08T05:00:00Z"))])
    }

    @Test func readsADateWithoutAnEndAsOneDay() {
        let events = Self.read(Self.calendar(["UID:d", "DTSTART;VALUE=DATE:20270301"]), host: Self.berlin)
        #expect(events == [ExternalBusyEvent(externalID: "d", start: Self.utc("2027-02-28T23:00:00Z"), end: Self.utc("2027-03-01T23:00:00Z"))])
    }

    @Test(arguments: [
        ("PT1H30M", "2027-03-13T18:30:00Z"),
        ("P1D", "2027-03-14T16:00:00Z"),  // a nominal day: 12:00 EST to 12:00 EDT is 23 hours
        ("PT24H", "2027-03-14T17:00:00Z"),  // 24 exact hours
        ("P1W", "2027-03-20T16:00:00Z"),
        ("P1DT1H", "2027-03-14T17:00:00Z"),
    ])
    func readsDurations(duration: String, end: String) {
        let events = Self.read(Self.calendar([
            "UID:p", "DTSTART;TZID=America/New_York:20270313T120000", "DURATION:\(duration)",
        ]))
        #expect(events.first?.start == Self.utc("2027-03-13T17:00:00Z"))
        #expect(events.first?.end == Self.utc(end))
    }

    @Test func parsesDurations() {
        #expect(ICalendarDuration("-PT15M") == ICalendarDuration(sign: -1, days: 0, seconds: 900))
        #expect(ICalendarDuration("P2W") == ICalendarDuration(days: 14))
        #expect(ICalendarDuration("P") == nil)
        #expect(ICalendarDuration("PT") == nil)
        #expect(ICalendarDuration("P1H") == nil)
        #expect(ICalendarDuration("1D") == nil)
    }

    @Test(arguments: [["TRANSP:TRANSPARENT"], ["STATUS:CANCELLED"], ["status:cancelled"]])
    func skipsEventsThatAreNotBusy(marker: [String]) {
        let events = Self.read(Self.calendar(["UID:t", "DTSTART:20270301T090000Z", "DTEND:20270301T100000Z"] + marker))
        #expect(events.isEmpty)
    }

    @Test func keepsOpaqueAndTentativeEvents() {
        let events = Self.read(Self.calendar([
            "UID:o", "DTSTART:20270301T090000Z", "DTEND:20270301T100000Z", "TRANSP:OPAQUE", "STATUS:TENTATIVE",
        ]))
        #expect(events.count == 1)
    }

    @Test func skipsZeroLengthAndUnreadableEvents() {
        #expect(Self.read(Self.calendar(["UID:zero", "DTSTART:20270301T090000Z"])).isEmpty)
        #expect(Self.read(Self.calendar(["DTSTART:20270301T090000Z", "DTEND:20270301T100000Z"])).isEmpty)
        #expect(Self.read(Self.calendar(["UID:bad", "DTSTART:tomorrow", "DTEND:20270301T100000Z"])).isEmpty)
    }

    @Test func namesInstancesByUIDAndRecurrenceIDInUTC() {
        let text = """
        BEGIN:VCALENDAR
        VERSION:2.0
        BEGIN:VEVENT
        UID:weekly
        RECURRENCE-ID;TZID=Europe/Berlin:20270308T100000
        DTSTART;TZID=Europe/Berlin:20270308T120000
        DTEND;TZID=Europe/Berlin:20270308T130000
        END:VEVENT
        BEGIN:VEVENT
        UID:daily
        RECURRENCE-ID;VALUE=DATE:20270309
        DTSTART;VALUE=DATE:20270310
        END:VEVENT
        END:VCALENDAR
        """
        let events = Self.read(text, host: Self.berlin)
        #expect(events.map(\.externalID) == ["weekly#20270308T090000Z", "daily#20270309"])
        #expect(events.first?.start == Self.utc("2027-03-08T11:00:00Z"))
    }

    @Test func resolvesNonIANATimeZoneIDs() {
        let vtimezone = [
            "BEGIN:VTIMEZONE", "TZID:Custom Berlin", "X-LIC-LOCATION:Europe/Berlin", "END:VTIMEZONE",
            "BEGIN:VTIMEZONE", "TZID:Fixed Plus Five", "BEGIN:STANDARD", "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0500", "TZOFFSETTO:+0500", "END:STANDARD", "END:VTIMEZONE",
        ]
        func start(_ tzid: String) -> Date? {
            Self.read(Self.calendar(["UID:x", "DTSTART;TZID=\(tzid):20270701T120000", "DURATION:PT1H"], extra: vtimezone)).first?.start
        }
        #expect(start("Custom Berlin") == Self.utc("2027-07-01T10:00:00Z"))
        #expect(start("Fixed Plus Five") == Self.utc("2027-07-01T07:00:00Z"))
        #expect(start("/mozilla.org/20050126_1/Europe/Berlin") == Self.utc("2027-07-01T10:00:00Z"))
        #expect(start("\"W. Europe Standard Time\"") == Self.utc("2027-07-01T10:00:00Z"))
        // Unknown: the host's zone (New York, EDT).
        #expect(start("Somewhere Else") == Self.utc("2027-07-01T16:00:00Z"))
    }

    @Test func readsSeveralCalendarsAndIgnoresOtherComponents() {
        let text = Self.calendar(["UID:one", "DTSTART:20270301T090000Z", "DTEND:20270301T100000Z"])
            + "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:todo\r\nDTSTART:20270301T090000Z\r\nDUE:20270301T100000Z\r\nEND:VTODO\r\n"
            + "BEGIN:VEVENT\r\nUID:two\r\nDTSTART:20270302T090000Z\r\nDTEND:20270302T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        #expect(Self.read(text).map(\.externalID) == ["one", "two"])
    }

    // MARK: Recurrence the server did not expand

    static func instances(_ lines: [String], extra: [String] = [], host: TimeZone = berlin, until: String = "2027-05-01T00:00:00Z") -> [ExternalBusyEvent] {
        ICalendarBusyReader(hostTimeZone: host).busyEvents(
            in: calendar(lines, extra: extra), expandingWithin: SyncWindow(start: utc("2026-01-01T00:00:00Z"), end: utc(until))
        )
    }

    @Test func expandsAWeeklyFloatingEventInTheHostZoneAcrossDST() {
        let events = Self.instances(["UID:w", "DTSTART:20270321T090000", "DTEND:20270321T100000", "RRULE:FREQ=WEEKLY;COUNT=3"])
        #expect(events == [
            ExternalBusyEvent(externalID: "w#20270321T080000Z", start: Self.utc("2027-03-21T08:00:00Z"), end: Self.utc("2027-03-21T09:00:00Z")),
            ExternalBusyEvent(externalID: "w#20270328T070000Z", start: Self.utc("2027-03-28T07:00:00Z"), end: Self.utc("2027-03-28T08:00:00Z")),
            ExternalBusyEvent(externalID: "w#20270404T070000Z", start: Self.utc("2027-04-04T07:00:00Z"), end: Self.utc("2027-04-04T08:00:00Z")),
        ])
    }

    @Test func expandsWeekdaysWithExceptionsAndOverrides() {
        // Mondays and Wednesdays 10:00 UTC from Monday 1 March, until 10 March; 3 March is
        // excluded, 8 March moved to 15:00 by a second VEVENT.
        let text = Self.calendar(
            ["UID:mw", "DTSTART:20270301T100000Z", "DURATION:PT30M", "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270310T100000Z",
             "EXDATE:20270303T100000Z"]
        ).replacingOccurrences(of: "END:VCALENDAR", with: "BEGIN:VEVENT\r\nUID:mw\r\nRECURRENCE-ID:20270308T100000Z\r\nDTSTART:20270308T150000Z\r\nDTEND:20270308T153000Z\r\nEND:VEVENT\r\nEND:VCALENDAR")
        let events = ICalendarBusyReader(hostTimeZone: Self.berlin).busyEvents(
            in: text, expandingWithin: SyncWindow(start: Self.utc("2027-01-01T00:00:00Z"), end: Self.utc("2027-05-01T00:00:00Z"))
        )
        #expect(events.map(\.externalID).sorted() == ["mw#20270301T100000Z", "mw#20270308T100000Z", "mw#20270310T100000Z"])
        #expect(events.first { $0.externalID == "mw#20270308T100000Z" }?.start == Self.utc("2027-03-08T15:00:00Z"))
    }

    @Test func expandsDailyMonthlyAndYearlyRules() {
        #expect(Self.instances(["UID:d", "DTSTART;VALUE=DATE:20270330", "RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3"]).map(\.start) == [
            Self.utc("2027-03-29T22:00:00Z"), Self.utc("2027-03-31T22:00:00Z"), Self.utc("2027-04-02T22:00:00Z"),
        ])
        // The 31st: months without one are skipped.
        #expect(Self.instances(["UID:m", "DTSTART:20270131T120000Z", "DTEND:20270131T130000Z", "RRULE:FREQ=MONTHLY"],
                               until: "2027-06-01T00:00:00Z").map(\.externalID) == [
            "m#20270131T120000Z", "m#20270331T120000Z", "m#20270531T120000Z",
        ])
        #expect(Self.instances(["UID:y", "DTSTART;VALUE=DATE:20260410", "RRULE:FREQ=YEARLY"]).map(\.externalID) == [
            "y#20260410", "y#20270410",
        ])
    }

    @Test func countsAnUnsupportedRuleAsItsFirstOccurrence() {
        let events = Self.instances(["UID:u", "DTSTART:20270301T100000Z", "DTEND:20270301T110000Z", "RRULE:FREQ=MONTHLY;BYDAY=2TU"])
        #expect(events.map(\.externalID) == ["u"])
    }

    @Test func expandsOnlyTheInstancesInTheWindowAndCountsTheEarlierOnes() {
        // Daily since 2000, 8 instances in all: none left in 2027. Daily since 2000 without a
        // count: exactly the window's days, including the one that started before it.
        let window = SyncWindow(start: Self.utc("2027-03-10T12:00:00Z"), end: Self.utc("2027-03-13T00:00:00Z"))
        let reader = ICalendarBusyReader(hostTimeZone: Self.berlin)
        #expect(reader.busyEvents(in: Self.calendar(["UID:c", "DTSTART:20000101T100000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=8"]),
                                  expandingWithin: window).isEmpty)
        let events = reader.busyEvents(
            in: Self.calendar(["UID:e", "DTSTART:20000101T110000Z", "DURATION:PT2H", "RRULE:FREQ=DAILY"]), expandingWithin: window
        )
        #expect(events.map(\.externalID) == ["e#20270310T110000Z", "e#20270311T110000Z", "e#20270312T110000Z"])
    }

    @Test func tellsWhichObjectsTheServerMustExpand() {
        let reader = ICalendarBusyReader(hostTimeZone: Self.berlin)
        #expect(reader.needsServerExpansion(Self.calendar(["UID:a", "DTSTART:20270301T100000Z", "RRULE:FREQ=MONTHLY;BYDAY=2TU"])))
        #expect(reader.needsServerExpansion(Self.calendar(["UID:b", "DTSTART:20270301T100000Z", "RDATE:20270305T100000Z"])))
        #expect(!reader.needsServerExpansion(Self.calendar(["UID:c", "DTSTART:20270301T100000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO,TH"])))
        #expect(!reader.needsServerExpansion(Self.calendar(["UID:d", "DTSTART:20270301T100000Z"])))
    }
}
