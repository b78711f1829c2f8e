import Curl
import Foundation
@testable import IntegrationService
import Testing

/// The CalDAV client against the real Radicale of the local stack (`scripts/stack up caldav`,
/// `CALDAV_TEST_URL`, local-only account `rendezvous`/`rendezvous`). Each test makes its own
/// calendar under `/rendezvous/<random>/` and deletes it at the end.
@Suite struct CalDAVRadicaleTests {
    static let serverURL = ProcessInfo.processInfo.environment["CALDAV_TEST_URL"] ?? "http://127.0.0.1:55232"
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// March and half of April 2027 (Berlin changes to summer time on 28 March).
    static let window = SyncWindow(start: utc("2027-03-01T00:00:00Z"), end: utc("2027-04-15T00:00:00Z"))

    /// Europe/Berlin as calendar apps describe it (RFC 5545 wants a VTIMEZONE for every TZID).
    static let berlinVTIMEZONE = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    static func utc(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    /// Runs `body` with a client and a new, empty calendar, then deletes the calendar.
    func withCalendar(
        password: String = "rendezvous",
        _ body: (_ client: CalDAVClient, _ calendarURL: String, _ http: CurlHTTPClient) async throws -> Void
    ) async throws {
        let http = CurlHTTPClient(configuration: .init(numberOfThreads: 2))
        let client = CalDAVClient(http: http, serverURL: Self.serverURL, username: "rendezvous", password: "rendezvous")
        let calendarURL = "\(Self.serverURL)/rendezvous/test-\(UUID().uuidString.lowercased())/"
        do {
            // The account's lasting default calendar: what discovery picks while other tests'
            // calendars come and go (MKCALENDAR on an existing one fails; that is fine).
            try? await client.makeCalendar(url: "\(Self.serverURL)/rendezvous/calendar/", displayName: "Calendar")
            try await client.makeCalendar(url: calendarURL, displayName: "Rendezvous test")
            try await body(client, calendarURL, http)
        } catch {
            try? await client.deleteObject(href: calendarURL)
            try await http.shutdown()
            throw error
        }
        try await client.deleteObject(href: calendarURL)
        try await http.shutdown()
    }

    /// PUTs a raw iCalendar object (what another calendar app would have written).
    func put(_ http: CurlHTTPClient, _ calendarURL: String, uid: String, _ eventLines: [String], extra: [String] = []) async throws {
        let text = (["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rendezvous tests//EN"] + extra
            + ["BEGIN:VEVENT", "UID:\(uid)", "DTSTAMP:20270101T000000Z"] + eventLines + ["END:VEVENT", "END:VCALENDAR"])
            .joined(separator: "\r\n") + "\r\n"
        let response = try await http.execute(HTTPClientRequest(
            method: .put, url: calendarURL + uid + ".ics",
            headers: [
                "Content-Type": "text/calendar; charset=utf-8",
                "Authorization": "Basic " + Data("rendezvous:rendezvous".utf8).base64EncodedString(),
            ],
            body: Array(text.utf8)
        ))
        #expect(response.status == 201, Comment(rawValue: "PUT \(uid): \(response.bodyText)"))
    }

    @Test func readsExactlyTheBusyBlocks() async throws {
        try await withCalendar { client, calendarURL, http in
            try await put(http, calendarURL, uid: "timed", ["DTSTART:20270302T100000Z", "DTEND:20270302T110000Z", "SUMMARY:Timed"])
            try await put(http, calendarURL, uid: "all-day", ["DTSTART;VALUE=DATE:20270305", "DTEND;VALUE=DATE:20270306"])
            try await put(http, calendarURL, uid: "free", ["DTSTART:20270303T100000Z", "DTEND:20270303T110000Z", "TRANSP:TRANSPARENT"])
            try await put(http, calendarURL, uid: "cancelled", ["DTSTART:20270304T100000Z", "DTEND:20270304T110000Z", "STATUS:CANCELLED"])
            try await put(http, calendarURL, uid: "weekly", [
                "DTSTART;TZID=Europe/Berlin:20270321T090000", "DTEND;TZID=Europe/Berlin:20270321T100000",
                "RRULE:FREQ=WEEKLY;COUNT=3",
            ], extra: Self.berlinVTIMEZONE)
            try await put(http, calendarURL, uid: "later", ["DTSTART:20270601T100000Z", "DTEND:20270601T110000Z"])

            let events = try await client.busyEvents(calendarURL: calendarURL, window: Self.window, hostTimeZone: Self.berlin)
            let expected = [
                ExternalBusyEvent(externalID: "timed", start: Self.utc("2027-03-02T10:00:00Z"), end: Self.utc("2027-03-02T11:00:00Z")),
                // The whole of 5 March in Berlin (CET).
                ExternalBusyEvent(externalID: "all-day", start: Self.utc("2027-03-04T23:00:00Z"), end: Self.utc("2027-03-05T23:00:00Z")),
                // 09:00 Berlin: CET twice, then CEST from 28 March.
                ExternalBusyEvent(externalID: "weekly#20270321T080000Z", start: Self.utc("2027-03-21T08:00:00Z"), end: Self.utc("2027-03-21T09:00:00Z")),
                ExternalBusyEvent(externalID: "weekly#20270328T070000Z", start: Self.utc("2027-03-28T07:00:00Z"), end: Self.utc("2027-03-28T08:00:00Z")),
                ExternalBusyEvent(externalID: "weekly#20270404T070000Z", start: Self.utc("2027-04-04T07:00:00Z"), end: Self.utc("2027-04-04T08:00:00Z")),
            ]
            #expect(events.sorted { $0.start < $1.start } == expected)
        }
    }

    @Test func readsAMovedInstanceOfARecurringEvent() async throws {
        try await withCalendar { client, calendarURL, http in
            let text = """
            DTSTART;TZID=Europe/Berlin:20270301T100000\r
            DTEND;TZID=Europe/Berlin:20270301T110000\r
            RRULE:FREQ=WEEKLY;COUNT=2\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:moved\r
            DTSTAMP:20270101T000000Z\r
            RECURRENCE-ID;TZID=Europe/Berlin:20270308T100000\r
            DTSTART;TZID=Europe/Berlin:20270308T150000\r
            DTEND;TZID=Europe/Berlin:20270308T160000
            """
            try await put(http, calendarURL, uid: "moved", text.components(separatedBy: "\r\n"), extra: Self.berlinVTIMEZONE)
            let events = try await client.busyEvents(calendarURL: calendarURL, window: Self.window, hostTimeZone: Self.berlin)
            #expect(events.sorted { $0.start < $1.start } == [
                ExternalBusyEvent(externalID: "moved#20270301T090000Z", start: Self.utc("2027-03-01T09:00:00Z"), end: Self.utc("2027-03-01T10:00:00Z")),
                ExternalBusyEvent(externalID: "moved#20270308T090000Z", start: Self.utc("2027-03-08T14:00:00Z"), end: Self.utc("2027-03-08T15:00:00Z")),
            ])
        }
    }

    @Test func expandsAFloatingRecurringEventInTheHostZone() async throws {
        try await withCalendar { client, calendarURL, http in
            try await put(http, calendarURL, uid: "floating", ["DTSTART:20270321T090000", "DTEND:20270321T100000", "RRULE:FREQ=WEEKLY;COUNT=3"])
            try await put(http, calendarURL, uid: "timed", ["DTSTART:20270302T100000Z", "DTEND:20270302T110000Z"])
            let events = try await client.busyEvents(calendarURL: calendarURL, window: Self.window, hostTimeZone: Self.berlin)
            #expect(events.sorted { $0.start < $1.start }.map(\.externalID) == [
                "timed", "floating#20270321T080000Z", "floating#20270328T070000Z", "floating#20270404T070000Z",
            ])
        }
    }

    @Test func hasTheServerExpandARuleTheReaderDoesNotSupport() async throws {
        // The second Tuesday of each month: 9 March and 13 April 2027 (before the DST change
        // and after it, in UTC, so Radicale's offset problem does not apply).
        try await withCalendar { client, calendarURL, http in
            try await put(http, calendarURL, uid: "second-tuesday", [
                "DTSTART:20270209T100000Z", "DTEND:20270209T110000Z", "RRULE:FREQ=MONTHLY;BYDAY=2TU",
            ])
            let events = try await client.busyEvents(calendarURL: calendarURL, window: Self.window, hostTimeZone: Self.berlin)
            #expect(events.sorted { $0.start < $1.start } == [
                ExternalBusyEvent(externalID: "second-tuesday#20270309T100000Z", start: Self.utc("2027-03-09T10:00:00Z"), end: Self.utc("2027-03-09T11:00:00Z")),
                ExternalBusyEvent(externalID: "second-tuesday#20270413T100000Z", start: Self.utc("2027-04-13T10:00:00Z"), end: Self.utc("2027-04-13T11:00:00Z")),
            ])
        }
    }

    @Test func discoversACalendarAndVerifiesOne() async throws {
        try await withCalendar { client, calendarURL, _ in
            let found = try await client.discoverCalendar()
            #expect(found.hasPrefix("\(Self.serverURL)/rendezvous/"))
            try await client.verifyCalendar(found)
            try await client.verifyCalendar(calendarURL)
            try await client.verifyCalendar(String(calendarURL.dropLast()))
            // The calendar home is a collection but not a calendar.
            await #expect(throws: ProviderError.notFound) {
                try await client.verifyCalendar("\(Self.serverURL)/rendezvous/")
            }
            await #expect(throws: ProviderError.notFound) {
                try await client.verifyCalendar("\(Self.serverURL)/rendezvous/no-such-calendar-\(UUID().uuidString)/")
            }
        }
    }

    @Test func findsTheHomeThroughThePrincipal() async throws {
        try await withCalendar { client, calendarURL, _ in
            let principal = try await client.currentUserPrincipal()
            #expect(principal == "\(Self.serverURL)/rendezvous/")
            let home = try await client.calendarHome(principal: principal)
            let calendars = try await client.eventCalendars(in: home)
            #expect(calendars.contains { $0.url == calendarURL && $0.displayName == "Rendezvous test" })
        }
    }

    @Test func discoversFromTheWellKnownAddress() async throws {
        try await withCalendar { _, _, http in
            let client = CalDAVClient(
                http: http, serverURL: "\(Self.serverURL)/.well-known/caldav", username: "rendezvous", password: "rendezvous"
            )
            #expect(try await client.currentUserPrincipal() == "\(Self.serverURL)/rendezvous/")
            let found = try await client.discoverCalendar()
            try await client.verifyCalendar(found)
        }
    }

    @Test func writesReadsAndDeletesAMeeting() async throws {
        try await withCalendar { client, calendarURL, _ in
            let meeting = CalendarMeeting(
                bookingID: UUID(), title: "Intro, \"call\"; 30 min", description: "Booked with Rendezvous.\nSee you!",
                start: Self.utc("2027-03-15T14:00:00Z"), end: Self.utc("2027-03-15T14:30:00Z"),
                inviteeName: "Jane Doe", inviteeEmail: "jane@example.com"
            )
            let tagBefore = try await client.calendarTag(calendarURL: calendarURL)
            let href = try await client.putMeeting(meeting, calendarURL: calendarURL)
            #expect(href == calendarURL + meeting.icalendarUID + ".ics")
            let tagAfter = try await client.calendarTag(calendarURL: calendarURL)
            #expect(tagBefore != nil && tagAfter != nil && tagBefore != tagAfter)

            var events = try await client.busyEvents(calendarURL: calendarURL, window: Self.window, hostTimeZone: Self.berlin)
            #expect(events == [ExternalBusyEvent(externalID: meeting.icalendarUID, start: meeting.start, end: meeting.end)])

            // Rescheduling writes the same object again.
            var moved = meeting
            moved.start = Self.utc("2027-03-16T09:00:00Z")
            moved.end = Self.utc("2027-03-16T10:00:00Z")
            moved.sequence = 1
            #expect(try await client.putMeeting(moved, calendarURL: calendarURL) == href)
            events = try await client.busyEvents(calendarURL: calendarURL, window: Self.window, hostTimeZone: Self.berlin)
            #expect(events == [ExternalBusyEvent(externalID: meeting.icalendarUID, start: moved.start, end: moved.end)])

            try await client.deleteObject(href: href)
            events = try await client.busyEvents(calendarURL: calendarURL, window: Self.window, hostTimeZone: Self.berlin)
            #expect(events.isEmpty)
            // Deleting again is done already; a path works as well as a URL.
            try await client.deleteObject(href: String(href.dropFirst(Self.serverURL.count)))
            #expect(try await client.calendarTag(calendarURL: calendarURL) != tagAfter)
        }
    }

    @Test func wrongPasswordIsAnInvalidGrant() async throws {
        try await withCalendar { _, calendarURL, http in
            let client = CalDAVClient(http: http, serverURL: Self.serverURL, username: "rendezvous", password: "wrong")
            await #expect(throws: ProviderError.invalidGrant("credentials rejected")) {
                try await client.busyEvents(calendarURL: calendarURL, window: Self.window, hostTimeZone: Self.berlin)
            }
            await #expect(throws: ProviderError.invalidGrant("credentials rejected")) {
                try await client.discoverCalendar()
            }
        }
    }

    @Test func anotherUsersCalendarIsRefused() async throws {
        try await withCalendar { client, _, _ in
            await #expect(throws: ProviderError.invalidGrant("credentials rejected")) {
                try await client.calendarTag(calendarURL: "\(Self.serverURL)/someone-else/calendar/")
            }
        }
    }

    @Test func aStoppedServerIsUnavailable() async throws {
        let http = CurlHTTPClient(configuration: .init(numberOfThreads: 1))
        let client = CalDAVClient(http: http, serverURL: "http://127.0.0.1:1", username: "rendezvous", password: "rendezvous")
        await #expect {
            try await client.discoverCalendar()
        } throws: { error in
            guard case .unavailable = error as? ProviderError else { return false }
            return true
        }
        await #expect {
            try await client.busyEvents(calendarURL: "http://127.0.0.1:1/rendezvous/x/", window: Self.window, hostTimeZone: Self.berlin)
        } throws: { error in
            (error as? ProviderError)?.isTransient == true
        }
        try await http.shutdown()
    }
}
