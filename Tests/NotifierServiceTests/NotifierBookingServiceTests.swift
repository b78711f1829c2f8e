import BookingService
import Events
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceRuntime
import Testing
import TestSupport
@testable import NotifierService

/// The booking service's real app (its HTTP routes and its outbox relay) and the notifier (its
/// consumer on a fresh queue filtered to the test's host, its dispatcher on a clock the test moves,
/// sending to the local SMTP sink): bookings made, moved and cancelled over the booking API become
/// the emails a person receives.
///
/// No relay of its own runs in this suite: the booking app's relay publishes the events, and the
/// test checks that the app has one. (When the whole target runs, the flow tests' relays may
/// publish these rows too — any relay publishes any row — so that check is what keeps the suite
/// from passing without the booking service's relay.)
@Suite("Notifier: bookings made through the booking service's API, to emails in the SMTP sink")
struct NotifierBookingServiceTests {
    @Test("book, reschedule and cancel through the booking API in the week New York is on summer time and London is not: both parties' emails with exact times, valid invitations, links; reminders moved, then dropped and never sent")
    func bookRescheduleCancel() async throws {
        let week = try #require(DSTGapWeek.next(after: Date()), "no March week found with New York 4 h behind London")
        let f = try await NotifierFixture.make(hostZone: "Europe/London", hostName: "Hana O'Host")
        let flow = BookingAPIFlow(fixture: f, week: week, clock: MovableClock())
        do {
            try await f.openForBookings(through: week.thursday.addingTimeInterval(86_400))
            let booking = try await buildApplication(
                BookingService.definition, configuration: NotifierTestSupport.configuration(),
                logger: testLogger("booking-test")
            )
            // Its relay is the only way the booking service's events leave its outbox.
            try #require(booking.services.contains { $0 is OutboxRelay }, "the booking app runs no outbox relay")
            try await f.declareQueue()
            let clock = flow.clock
            let notifier = try await f.app(f.options(now: { clock.now() }))
            try await notifier.test(.router) { _ in
                try await booking.test(.router) { client in
                    let made = try await flow.book(client)
                    let moved = try await flow.reschedule(client, made)
                    try await flow.cancel(client, moved, original: made)
                }
            }
        } catch {
            await f.cleanUp()
            throw error
        }
        await f.cleanUp()
    }
}

/// One run of the flow: the host, the week, the notifier's clock, and the steps over the booking API.
private struct BookingAPIFlow: Sendable {
    let fixture: NotifierFixture
    let week: DSTGapWeek
    let clock: MovableClock

    /// How long an email or a row may take: the stack is shared with other test runs, and with the
    /// whole target running every test's consumer reads every booking event (seconds of lag seen).
    static let patience: Duration = .seconds(90)

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    var f: NotifierFixture { fixture }

    /// `X-Request-ID` of a step, found again on the event rows it wrote.
    func requestID(_ step: String) -> String { "notifier-e2e-\(f.tag)-\(step)" }

    /// 1. `POST /api/bookings`: confirmations to both in both zones, a valid invitation, the invitee's links; reminders wait.
    func book(_ client: some TestClientProtocol) async throws -> BookingReply {
        let (status, data) = try await send(client, .post, "/api/bookings", step: "create", json: [
            "meeting_type_id": f.meetingTypeID.uuidString, "start_time": RFC3339.format(week.tuesday),
            "invitee_name": "Ivy Invitee", "invitee_email": f.inviteeEmail, "invitee_timezone": "America/New_York",
        ])
        try #require(status == .created, "\(String(decoding: data, as: UTF8.self))")
        let made = try Self.decoder.decode(BookingReply.self, from: data)
        let token = try #require(made.cancelToken)
        #expect(made.status == "confirmed")
        #expect(made.version == 1)
        #expect(RFC3339.parse(made.startTime) == week.tuesday)
        #expect(RFC3339.parse(made.endTime) == week.tuesday.addingTimeInterval(1800))
        let id = made.id.uuidString.lowercased()

        let invitee = try #require(try await NotifierTestSupport.mails(f.inviteeEmail, kind: "confirmation", count: 1, timeout: Self.patience).first)
        let host = try #require(try await NotifierTestSupport.mails(f.hostEmail, kind: "confirmation", count: 1, timeout: Self.patience).first)
        // 15:00 UTC is 3 PM in London (GMT) and 11 AM in New York (EDT): 4 hours apart this week, not 5.
        let tuesday = week.date(week.tuesday, weekday: "Tuesday")
        #expect(lines(invitee.text).containsRun([
            "For you (New York): \(tuesday) at 11:00 AM EDT",
            "For your host (London): \(tuesday) at 3:00 PM GMT",
        ]))
        #expect(lines(host.text).containsRun([
            "For you (London): \(tuesday) at 3:00 PM GMT",
            "For your invitee (New York): \(tuesday) at 11:00 AM EDT",
        ]))
        #expect(invitee.entity.subject == "Confirmed: Intro call with Hana O'Host on \(tuesday) at 11:00 AM EDT")
        #expect(host.entity.subject == "New booking: Intro call with Ivy Invitee on \(tuesday) at 3:00 PM GMT")
        #expect(lines(host.text).contains("Ivy Invitee (\(f.inviteeEmail)) booked a meeting with you."))

        // The invitee's links carry the token the booking service returned; the host's email has none.
        let base = NotifierTestSupport.publicBaseURL
        #expect(lines(invitee.text).containsRun([
            "View or cancel: \(base)/bookings/\(id)?token=\(token)",
            "Reschedule: \(base)/bookings/\(id)/reschedule?token=\(token)",
        ]))
        #expect(invitee.html.contains("\(base)/bookings/\(id)/reschedule?token=\(token)"))
        #expect(!host.raw.contains(token))

        for message in [invitee, host] {
            let calendar = try invitation(message, method: "REQUEST")
            #expect(calendar.value("UID") == "\(id)@rendezvous")
            #expect(calendar.value("SEQUENCE") == "0")
            #expect(calendar.value("STATUS") == "CONFIRMED")
            #expect(calendar.value("DTSTART").flatMap(ICalendarObject.utcDate) == RFC3339.parse(made.startTime))
            #expect(calendar.value("DTEND").flatMap(ICalendarObject.utcDate) == RFC3339.parse(made.endTime))
            #expect(calendar.value("DTSTART") == "\(week.compact(week.tuesday))T150000Z")
        }

        // The reminders wait in the table for their times, 24 h and 1 h before the start, for both.
        #expect(try await eventually(timeout: Self.patience) {
            try await f.scheduled(made.id) == [
                "confirmation:host:sent", "confirmation:invitee:sent",
                "reminder_1h:host:pending", "reminder_1h:invitee:pending",
                "reminder_24h:host:pending", "reminder_24h:invitee:pending",
            ]
        })
        #expect(try await reminderTimes(made.id) == [
            "reminder_1h:host": week.tuesday.addingTimeInterval(-3600), "reminder_1h:invitee": week.tuesday.addingTimeInterval(-3600),
            "reminder_24h:host": week.tuesday.addingTimeInterval(-86_400), "reminder_24h:invitee": week.tuesday.addingTimeInterval(-86_400),
        ])
        return made
    }

    /// 2. `POST /api/bookings/{id}/reschedule` with the invitee's token: both get the old and the
    /// new time, the invitation's SEQUENCE rises, the reminders move to the new time.
    func reschedule(_ client: some TestClientProtocol, _ made: BookingReply) async throws -> BookingReply {
        let (status, data) = try await send(client, .post, "/api/bookings/\(made.id)/reschedule", step: "reschedule", json: [
            "start_time": RFC3339.format(week.thursday), "version": made.version, "token": try #require(made.cancelToken),
        ])
        try #require(status == .ok, "\(String(decoding: data, as: UTF8.self))")
        let moved = try Self.decoder.decode(BookingReply.self, from: data)
        let token = try #require(moved.cancelToken)
        #expect(moved.id != made.id)
        #expect(moved.rescheduledFrom == made.id)
        #expect(RFC3339.parse(moved.startTime) == week.thursday)
        #expect(token != made.cancelToken)
        let id = moved.id.uuidString.lowercased()

        let invitee = try #require(try await NotifierTestSupport.mails(f.inviteeEmail, kind: "reschedule", count: 1, timeout: Self.patience).first)
        let host = try #require(try await NotifierTestSupport.mails(f.hostEmail, kind: "reschedule", count: 1, timeout: Self.patience).first)
        let tuesday = week.date(week.tuesday, weekday: "Tuesday")
        let thursday = week.date(week.thursday, weekday: "Thursday")
        #expect(lines(invitee.text).containsRun([
            "New time:",
            "For you (New York): \(thursday) at 12:00 PM EDT",
            "For your host (London): \(thursday) at 4:00 PM GMT",
            "",
            "Previously:",
            "For you (New York): \(tuesday) at 11:00 AM EDT",
            "For your host (London): \(tuesday) at 3:00 PM GMT",
        ]))
        #expect(lines(host.text).containsRun([
            "New time:",
            "For you (London): \(thursday) at 4:00 PM GMT",
            "For your invitee (New York): \(thursday) at 12:00 PM EDT",
            "",
            "Previously:",
            "For you (London): \(tuesday) at 3:00 PM GMT",
            "For your invitee (New York): \(tuesday) at 11:00 AM EDT",
        ]))
        #expect(invitee.entity.subject == "Rescheduled: Intro call with Hana O'Host, now on \(thursday) at 12:00 PM EDT")
        #expect(host.entity.subject == "Rescheduled: Intro call with Ivy Invitee, now on \(thursday) at 4:00 PM GMT")
        // The links now manage the new booking, with its new token.
        let base = NotifierTestSupport.publicBaseURL
        #expect(lines(invitee.text).containsRun([
            "View or cancel: \(base)/bookings/\(id)?token=\(token)",
            "Reschedule: \(base)/bookings/\(id)/reschedule?token=\(token)",
        ]))
        #expect(!host.raw.contains(token))

        for message in [invitee, host] {
            let calendar = try invitation(message, method: "REQUEST")
            // The same calendar event as the first invitation, one sequence later, at the new time.
            #expect(calendar.value("UID") == "\(made.id.uuidString.lowercased())@rendezvous")
            #expect(calendar.value("SEQUENCE") == "1")
            #expect(calendar.value("DTSTART").flatMap(ICalendarObject.utcDate) == week.thursday)
            #expect(calendar.value("DTEND").flatMap(ICalendarObject.utcDate) == week.thursday.addingTimeInterval(1800))
        }

        // The old booking's reminders are cancelled; the new booking's wait for the new time.
        #expect(try await eventually(timeout: Self.patience) {
            try await f.scheduled(made.id) == [
                "confirmation:host:sent", "confirmation:invitee:sent",
                "reminder_1h:host:cancelled", "reminder_1h:invitee:cancelled",
                "reminder_24h:host:cancelled", "reminder_24h:invitee:cancelled",
            ]
        })
        #expect(try await eventually(timeout: Self.patience) {
            try await f.scheduled(moved.id) == [
                "reminder_1h:host:pending", "reminder_1h:invitee:pending",
                "reminder_24h:host:pending", "reminder_24h:invitee:pending",
                "reschedule:host:sent", "reschedule:invitee:sent",
            ]
        })
        #expect(try await reminderTimes(moved.id) == [
            "reminder_1h:host": week.thursday.addingTimeInterval(-3600), "reminder_1h:invitee": week.thursday.addingTimeInterval(-3600),
            "reminder_24h:host": week.thursday.addingTimeInterval(-86_400), "reminder_24h:invitee": week.thursday.addingTimeInterval(-86_400),
        ])
        return moved
    }

    /// 3. `POST /api/bookings/{id}/cancel` as the host: cancellations with the reason and
    /// METHOD:CANCEL to both; the reminders are dropped, and with the notifier's clock past their
    /// times they are not sent while another booking's reminders, due by then too, are.
    func cancel(_ client: some TestClientProtocol, _ moved: BookingReply, original made: BookingReply) async throws {
        // The control: another booking of the same host, 30 minutes later, left alone.
        let coraEmail = "cora-\(f.tag)@example.com"
        let (created, data) = try await send(client, .post, "/api/bookings", step: "control", json: [
            "meeting_type_id": f.meetingTypeID.uuidString, "start_time": RFC3339.format(week.thursday.addingTimeInterval(1800)),
            "invitee_name": "Cora Control", "invitee_email": coraEmail, "invitee_timezone": "America/New_York",
        ])
        try #require(created == .created, "\(String(decoding: data, as: UTF8.self))")
        let control = try Self.decoder.decode(BookingReply.self, from: data)
        #expect(try await eventually(timeout: Self.patience) {
            try await f.scheduled(control.id).filter { $0.hasPrefix("reminder") && $0.hasSuffix(":pending") }.count == 4
        })

        let reason = "The venue flooded; sorry, really"
        let (status, cancelData) = try await send(
            client, .post, "/api/bookings/\(moved.id)/cancel", step: "cancel", json: ["reason": reason],
            headers: [.authorization: "Bearer \(f.hostToken)"]
        )
        try #require(status == .ok, "\(String(decoding: cancelData, as: UTF8.self))")
        let cancelled = try Self.decoder.decode(BookingReply.self, from: cancelData)
        #expect(cancelled.status == "cancelled")
        #expect(cancelled.cancelReason == reason)

        let invitee = try #require(try await NotifierTestSupport.mails(f.inviteeEmail, kind: "cancellation", count: 1, timeout: Self.patience).first)
        let host = try #require(try await NotifierTestSupport.mails(f.hostEmail, kind: "cancellation", count: 1, timeout: Self.patience).first)
        let thursday = week.date(week.thursday, weekday: "Thursday")
        #expect(lines(invitee.text).contains("Hana O'Host cancelled your meeting."))
        #expect(lines(host.text).contains("You cancelled your meeting."))
        #expect(lines(invitee.text).containsRun([
            "For you (New York): \(thursday) at 12:00 PM EDT",
            "For your host (London): \(thursday) at 4:00 PM GMT",
        ]))
        #expect(lines(host.text).containsRun([
            "For you (London): \(thursday) at 4:00 PM GMT",
            "For your invitee (New York): \(thursday) at 12:00 PM EDT",
        ]))
        #expect(invitee.entity.subject == "Cancelled: Intro call with Hana O'Host on \(thursday) at 12:00 PM EDT")
        // No links to manage a cancelled booking.
        #expect(!invitee.text.contains("?token="))
        for message in [invitee, host] {
            #expect(lines(message.text).contains("Reason: \(reason)"))
            let calendar = try invitation(message, method: "CANCEL")
            #expect(calendar.value("STATUS") == "CANCELLED")
            #expect(calendar.value("UID") == "\(made.id.uuidString.lowercased())@rendezvous")
            // Above the reschedule's 1 (RFC 5546: a cancellation outranks the request it cancels).
            #expect(calendar.value("SEQUENCE") == "2")
            #expect(calendar.value("DTSTART").flatMap(ICalendarObject.utcDate) == week.thursday)
            #expect(calendar.text("DESCRIPTION")?.contains("Reason: \(reason)") == true)
        }
        let dropped = [
            "cancellation:host:sent", "cancellation:invitee:sent",
            "reminder_1h:host:cancelled", "reminder_1h:invitee:cancelled",
            "reminder_24h:host:cancelled", "reminder_24h:invitee:cancelled",
            "reschedule:host:sent", "reschedule:invitee:sent",
        ]
        #expect(try await eventually(timeout: Self.patience) { try await f.scheduled(moved.id) == dropped })

        // The notifier's clock to 15 minutes before the cancelled meeting: its reminders (and the
        // first booking's) would all be due, and so are the control's (it starts at 16:30).
        clock.move(to: week.thursday.addingTimeInterval(-15 * 60))
        // The control's 24-hour reminders come due 23 hours late, with the 1-hour ones: only those go
        // (a "tomorrow" reminder 45 minutes before the meeting would be wrong).
        let coraReminder = try #require(try await NotifierTestSupport.mails(coraEmail, kind: "reminder_1h", count: 1, timeout: Self.patience).first)
        _ = try await NotifierTestSupport.mails(f.hostEmail, kind: "reminder_1h", count: 1, timeout: Self.patience)
        #expect(lines(coraReminder.text).contains("For you (New York): \(thursday) at 12:30 PM EDT"))
        #expect(try await eventually(timeout: Self.patience) {
            try await f.scheduled(control.id).filter { $0.hasPrefix("reminder") } == [
                "reminder_1h:host:sent", "reminder_1h:invitee:sent", "reminder_24h:host:skipped", "reminder_24h:invitee:skipped",
            ]
        })
        // A few more dispatcher turns (every 250 ms) on the moved clock: still nothing for the cancelled booking.
        try await Task.sleep(for: .seconds(2))
        #expect(try MailSink.messages(to: coraEmail, kind: "reminder_24h").isEmpty)
        for kind in ["reminder_1h", "reminder_24h"] {
            #expect(try MailSink.messages(to: f.inviteeEmail, kind: kind).isEmpty)
            let hostReminders = try MailSink.messages(to: f.hostEmail, kind: kind)
            #expect(hostReminders.count == (kind == "reminder_1h" ? 1 : 0))
            #expect(hostReminders.allSatisfy { $0.text.contains("Cora Control") })
        }
        #expect(try await f.scheduled(moved.id) == dropped)
        #expect(try await f.scheduled(made.id).filter { $0.hasPrefix("reminder") }.allSatisfy { $0.hasSuffix(":cancelled") })

        // Every change went out through the booking service's outbox, written by these requests, and was published.
        let rows = try await f.db.query("""
            SELECT type, request_id, published_at IS NOT NULL AS published FROM outbox
            WHERE body ILIKE \("%\(made.id.uuidString)%") ORDER BY position
            """)
        let events = try rows.map {
            "\(try $0.decode("type", as: String.self)) \(try $0.decode("request_id", as: String?.self) ?? "-") \(try $0.decode("published", as: Bool.self))"
        }
        #expect(events == [
            "booking.created \(requestID("create")) true",
            "booking.rescheduled \(requestID("reschedule")) true",
            "booking.cancelled \(requestID("cancel")) true",
        ])
    }

    // MARK: Tools

    /// Sends a JSON body to the booking app with this step's request id.
    func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, step: String, json: [String: Any],
        headers: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, Data) {
        var headers = headers
        headers[.contentType] = "application/json"
        headers[.requestID] = requestID(step)
        let body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { ($0.status, Data(buffer: $0.body)) }
    }

    /// The calendar part of `message`, parsed, checked against RFC 5545 and for its method.
    func invitation(_ message: SinkMessage, method: String) throws -> ICalendarObject {
        let part = try #require(message.calendarPart, "no text/calendar part in \(message.kind) to \(message.to)")
        #expect(part.parameter("method") == method)
        let calendar = ICalendarObject(part.decodedBody)
        #expect(calendar.problems.isEmpty, "\(calendar.problems)")
        #expect(calendar.value("METHOD") == method)
        return calendar
    }

    /// `kind:role` → `due_at` of a booking's reminders.
    func reminderTimes(_ bookingID: UUID) async throws -> [String: Date] {
        let rows = try await f.db.query("""
            SELECT kind || ':' || recipient_role AS key, due_at FROM scheduled_notifications
            WHERE booking_id = \(bookingID) AND kind LIKE 'reminder%'
            """)
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode("key", as: String.self), try $0.decode("due_at", as: Date.self)) })
    }

    /// The lines of an email's text, line ends normalised.
    func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
    }
}

extension Array where Element == String {
    /// Whether `run` occurs here as consecutive lines.
    fileprivate func containsRun(_ run: [String]) -> Bool {
        guard !run.isEmpty, run.count <= count else { return run.isEmpty }
        return (0...(count - run.count)).contains { Array(self[$0..<($0 + run.count)]) == run }
    }
}

/// A booking as the booking service answers it (the fields these tests read).
private struct BookingReply: Decodable, Sendable {
    let id: UUID
    let status: String
    let startTime: String
    let endTime: String
    let version: Int
    let cancelToken: String?
    let rescheduledFrom: UUID?
    let cancelReason: String?
}

/// A week in March when New York is already on summer time (EDT, UTC−4) and London not yet
/// (GMT): the two zones are 4 hours apart instead of 5.
struct DSTGapWeek: Sendable {
    /// The Tuesday at 15:00 UTC: 3:00 PM GMT, 11:00 AM EDT.
    let tuesday: Date
    /// The Thursday after at 16:00 UTC: 4:00 PM GMT, 12:00 PM EDT.
    var thursday: Date { tuesday.addingTimeInterval(2 * 86_400 + 3600) }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The first such week whose Tuesday is at least two days after `now` (this March or next).
    static func next(after now: Date) -> DSTGapWeek? {
        let london = TimeZone(identifier: "Europe/London")!
        let newYork = TimeZone(identifier: "America/New_York")!
        var day = utc.startOfDay(for: now.addingTimeInterval(2 * 86_400))
        for _ in 0..<400 {
            let week = DSTGapWeek(tuesday: day.addingTimeInterval(15 * 3600))
            let inGap = [week.tuesday, week.thursday, week.thursday.addingTimeInterval(1800)].allSatisfy {
                london.secondsFromGMT(for: $0) == 0 && newYork.secondsFromGMT(for: $0) == -4 * 3600
            }
            if utc.component(.weekday, from: day) == 3, utc.component(.month, from: day) == 3, inGap { return week }
            day = day.addingTimeInterval(86_400)
        }
        return nil
    }

    /// "Tuesday, Mar 16, 2027": the day of `instant` as the emails write it (the same in both zones at these hours).
    func date(_ instant: Date, weekday: String) -> String {
        let parts = Self.utc.dateComponents([.day, .year], from: instant)
        return "\(weekday), Mar \(parts.day!), \(parts.year!)"
    }

    /// "20270316": the UTC date of `instant` as iCalendar writes it.
    func compact(_ instant: Date) -> String {
        let parts = Self.utc.dateComponents([.day, .month, .year], from: instant)
        return String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
    }
}

extension NotifierFixture {
    /// Opens the host's weekdays, 09:00–18:00 in its zone, to bookings up to `last` (what the booking service checks).
    func openForBookings(through last: Date) async throws {
        let days = min(365, Int(last.timeIntervalSinceNow / 86_400) + 2)
        try await db.query("UPDATE meeting_types SET max_days_in_future = \(days) WHERE id = \(meetingTypeID)")
        for day in 1...5 {
            try await db.query("""
                INSERT INTO availability_rules (user_id, day_of_week, start_time, end_time)
                VALUES (\(hostID), \(day), '09:00'::time, '18:00'::time)
                """)
        }
    }
}
