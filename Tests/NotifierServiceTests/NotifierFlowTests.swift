import AMQP
import Events
import Foundation
import ICalendar
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceRuntime
import Testing
import TestSupport
@testable import NotifierService

/// Bookings made through the outbox reach the notifier through RabbitMQ; the real dispatcher
/// sends to the local stack's SMTP sink; the tests read the sink's files.
@Suite("Notifier: events to emails in the SMTP sink")
struct NotifierFlowTests {
    /// Runs the notifier app (consumer + dispatcher + routes) and a relay while `body` runs.
    @discardableResult
    static func withNotifier<Value: Sendable>(
        _ f: NotifierFixture, options: NotifierOptions? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        try await f.declareQueue()
        let amqp = AMQPConnection(configuration: try TestEnvironment.amqpConfiguration(), logger: testLogger("amqp"))
        let app = try await f.app(options ?? f.options())
        let value = try await withServices([f.relay(amqp)]) {
            try await app.test(.router) { client in try await body(client) }
        }
        await amqp.close()
        return value
    }

    @Test("a booking yields confirmations to both, each in its own zone and the other's across a DST boundary, with a valid invitation and the invitee's links")
    func confirmations() async throws {
        let f = try await NotifierFixture.make(hostZone: "America/New_York", hostName: "Hana O'Host")
        // 16 March 2027: New York is on daylight time since the 14th, London not until the 28th.
        let start = ISO8601DateFormatter().date(from: "2027-03-16T14:00:00Z")!
        try await Self.withNotifier(f) { client in
            let (booking, token) = try await f.book(start: start, inviteeZone: "Europe/London", inviteeName: "Ivy \"Ives\" Invitee")
            let invitee = try #require(try await NotifierTestSupport.mails(f.inviteeEmail, kind: "confirmation", count: 1).first)
            let host = try #require(try await NotifierTestSupport.mails(f.hostEmail, kind: "confirmation", count: 1).first)

            #expect(invitee.text.contains("For you (London): Tuesday, Mar 16, 2027 at 2:00 PM GMT"))
            #expect(invitee.text.contains("For your host (New York): Tuesday, Mar 16, 2027 at 10:00 AM EDT"))
            #expect(host.text.contains("For you (New York): Tuesday, Mar 16, 2027 at 10:00 AM EDT"))
            #expect(host.text.contains("For your invitee (London): Tuesday, Mar 16, 2027 at 2:00 PM GMT"))
            #expect(invitee.text.contains("Your meeting with Hana O'Host is confirmed."))
            #expect(invitee.text.contains("Intro call (30 minutes)"))
            #expect(invitee.html.contains("Hana O&#39;Host") || invitee.html.contains("Hana O&#x27;Host"))
            #expect(invitee.entity.subject == "Confirmed: Intro call with Hana O'Host on Tuesday, Mar 16, 2027 at 2:00 PM GMT")

            // The invitee's links carry the token the booking service sealed; the host's email has none.
            let id = booking.id.uuidString.lowercased()
            #expect(invitee.text.contains("\(NotifierTestSupport.publicBaseURL)/bookings/\(id)?token=\(token)"))
            #expect(invitee.text.contains("\(NotifierTestSupport.publicBaseURL)/bookings/\(id)/reschedule?token=\(token)"))
            #expect(invitee.html.contains("/bookings/\(id)/reschedule?token=\(token)"))
            #expect(!host.raw.contains(token))
            #expect(host.text.contains("Ivy \"Ives\" Invitee (\(f.inviteeEmail)) booked a meeting with you."))

            for message in [invitee, host] {
                let part = try #require(message.calendarPart)
                #expect(part.parameter("method") == "REQUEST")
                let calendar = ICalendarObject(part.decodedBody)
                #expect(calendar.problems.isEmpty, "\(calendar.problems)")
                #expect(calendar.value("METHOD") == "REQUEST")
                #expect(calendar.value("UID") == "\(id)@rendezvous")
                #expect(calendar.value("SEQUENCE") == "0")
                #expect(calendar.value("DTSTART") == "20270316T140000Z")
                #expect(calendar.value("DTEND") == "20270316T143000Z")
                #expect(calendar.value("STATUS") == "CONFIRMED")
                #expect(calendar.text("SUMMARY") == "Intro call: Hana O'Host and Ivy \"Ives\" Invitee")
                #expect(calendar.properties.first { $0.name == "ATTENDEE" }?.value == "mailto:\(f.inviteeEmail)")
                #expect(message.messageID.hasPrefix("<") && message.messageID.hasSuffix(">"))
            }
            let description = try #require(ICalendarObject(invitee.calendarPart!.decodedBody).text("DESCRIPTION"))
            #expect(description.contains("/bookings/\(id)/reschedule?token=\(token)"))

            // Reminders wait in the table (the meeting is months away).
            #expect(try await eventually(timeout: .seconds(30)) { try await f.scheduled(booking.id).filter { $0.hasPrefix("confirmation") }.allSatisfy { $0.hasSuffix(":sent") } })
            #expect(try await f.scheduled(booking.id) == [
                "confirmation:host:sent", "confirmation:invitee:sent",
                "reminder_1h:host:pending", "reminder_1h:invitee:pending",
                "reminder_24h:host:pending", "reminder_24h:invitee:pending",
            ])
            let due = try await f.db.query("""
                SELECT kind, due_at FROM scheduled_notifications WHERE booking_id = \(booking.id) AND recipient_role = 'invitee' AND kind LIKE 'reminder%'
                """)
            let dueTimes = Dictionary(uniqueKeysWithValues: try due.map { (try $0.decode("kind", as: String.self), try $0.decode("due_at", as: Date.self)) })
            #expect(dueTimes["reminder_24h"] == start.addingTimeInterval(-86_400))
            #expect(dueTimes["reminder_1h"] == start.addingTimeInterval(-3600))

            // The audit log, for the host only.
            let response = try await client.execute(uri: "/api/notifications?booking_id=\(id)", method: .get,
                                                    headers: [.authorization: "Bearer \(f.hostToken)"], body: nil)
            #expect(response.status == .ok)
            let list = try JSONDecoder().decode(AuditList.self, from: Data(buffer: response.body))
            #expect(list.nextCursor == nil)
            #expect(list.data.count == 2)
            #expect(Set(list.data.map(\.recipient)) == [f.inviteeEmail, f.hostEmail])
            #expect(list.data.allSatisfy { $0.type == "confirmation" && $0.status == "sent" && $0.sentAt != nil && $0.bookingId == id })
            #expect(list.data.contains { $0.subject == invitee.entity.subject })
        }
        await f.cleanUp()
    }

    @Test("GET /api/notifications: 401 without a token, 422 for a missing or malformed id, 404 for another host's or no booking")
    func auditAccess() async throws {
        let f = try await NotifierFixture.make()
        let other = try await NotifierFixture.make()
        let (booking, _) = try await f.book(start: NotifierFixture.hoursAhead(24 * 40))
        var options = f.options()
        options.consumesEvents = false
        options.dispatches = false
        try await f.app(options).test(.router) { client in
            let id = booking.id.uuidString
            func get(_ uri: String, token: String?) async throws -> (HTTPResponse.Status, ProblemJSON?) {
                let headers: HTTPFields = token.map { [.authorization: "Bearer \($0)"] } ?? [:]
                let response = try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
                return (response.status, try? JSONDecoder().decode(ProblemJSON.self, from: Data(buffer: response.body)))
            }
            #expect(try await get("/api/notifications?booking_id=\(id)", token: nil).0 == .unauthorized)
            #expect(try await get("/api/notifications?booking_id=\(id)", token: "forged").0 == .unauthorized)
            let missing = try await get("/api/notifications", token: f.hostToken)
            #expect(missing.0 == .unprocessableContent)
            #expect(missing.1?.errors?.first?.field == "booking_id")
            let malformed = try await get("/api/notifications?booking_id=nope", token: f.hostToken)
            #expect(malformed.0 == .unprocessableContent)
            #expect(malformed.1?.code == "validation_failed")
            let foreign = try await get("/api/notifications?booking_id=\(id)", token: other.hostToken)
            #expect(foreign.0 == .notFound)
            #expect(foreign.1?.code == "not_found")
            #expect(try await get("/api/notifications?booking_id=\(UUID())", token: f.hostToken).0 == .notFound)
            let own = try await client.execute(uri: "/api/notifications?booking_id=\(id)", method: .get,
                                               headers: [.authorization: "Bearer \(f.hostToken)"], body: nil)
            #expect(own.status == .ok)
            #expect(String(buffer: own.body) == #"{"data":[],"next_cursor":null}"#)

            let openAPI = try await client.execute(uri: "/openapi.json", method: .get, headers: [:], body: nil)
            let document = try JSONSerialization.jsonObject(with: Data(buffer: openAPI.body)) as? [String: Any]
            let paths = document?["paths"] as? [String: Any]
            #expect(paths?["/api/notifications"] != nil)
        }
        await f.cleanUp()
        await other.cleanUp()
    }

    @Test("cancelling drops the pending reminders and sends the cancellation, with the reason and METHOD:CANCEL, to both")
    func cancellation() async throws {
        let f = try await NotifierFixture.make(hostZone: "Europe/Berlin")
        let start = NotifierFixture.hoursAhead(72)
        try await Self.withNotifier(f) { _ in
            let (booking, _) = try await f.book(start: start, inviteeZone: "Asia/Tokyo")
            _ = try await NotifierTestSupport.mails(f.inviteeEmail, kind: "confirmation", count: 1)
            _ = try await f.cancel(booking, reason: "Something came up; sorry, really", by: .invitee)
            let invitee = try #require(try await NotifierTestSupport.mails(f.inviteeEmail, kind: "cancellation", count: 1).first)
            let host = try #require(try await NotifierTestSupport.mails(f.hostEmail, kind: "cancellation", count: 1).first)
            #expect(invitee.text.contains("You cancelled your meeting."))
            #expect(host.text.contains("Ivy Invitee cancelled your meeting."))
            for message in [invitee, host] {
                #expect(message.text.contains("Reason: Something came up; sorry, really"))
                let part = try #require(message.calendarPart)
                #expect(part.parameter("method") == "CANCEL")
                let calendar = ICalendarObject(part.decodedBody)
                #expect(calendar.problems.isEmpty, "\(calendar.problems)")
                #expect(calendar.value("METHOD") == "CANCEL")
                #expect(calendar.value("STATUS") == "CANCELLED")
                #expect(calendar.value("UID") == "\(booking.id.uuidString.lowercased())@rendezvous")
                #expect(calendar.value("SEQUENCE") == "1")
                #expect(calendar.text("DESCRIPTION")?.contains("Reason: Something came up; sorry, really") == true)
            }
            // No link to manage a cancelled booking.
            #expect(!invitee.text.contains("?token="))
            #expect(try await eventually(timeout: .seconds(30)) {
                try await f.scheduled(booking.id) == [
                    "cancellation:host:sent", "cancellation:invitee:sent",
                    "confirmation:host:sent", "confirmation:invitee:sent",
                    "reminder_1h:host:cancelled", "reminder_1h:invitee:cancelled",
                    "reminder_24h:host:cancelled", "reminder_24h:invitee:cancelled",
                ]
            })
        }
        await f.cleanUp()
    }

    @Test("a reschedule sends both times to both, updates the same calendar event, and moves the reminders")
    func reschedule() async throws {
        let f = try await NotifierFixture.make(hostZone: "UTC", hostName: "Uma Host")
        let first = NotifierFixture.hoursAhead(72)
        let second = first.addingTimeInterval(26 * 3600)
        try await Self.withNotifier(f) { _ in
            let (booking, _) = try await f.book(start: first, inviteeZone: "America/Los_Angeles")
            _ = try await NotifierTestSupport.mails(f.inviteeEmail, kind: "confirmation", count: 1)
            let (moved, token) = try await f.reschedule(booking, to: second)
            let invitee = try #require(try await NotifierTestSupport.mails(f.inviteeEmail, kind: "reschedule", count: 1).first)
            let host = try #require(try await NotifierTestSupport.mails(f.hostEmail, kind: "reschedule", count: 1).first)
            let times = MeetingTimeFormatter()
            #expect(invitee.text.contains("For you (Los Angeles): \(times.localTime(second, in: "America/Los_Angeles").text)"))
            #expect(invitee.text.contains("For you (Los Angeles): \(times.localTime(first, in: "America/Los_Angeles").text)"))
            #expect(host.text.contains("For you (UTC): \(times.localTime(second, in: "UTC").text)"))
            #expect(host.text.contains("For your invitee (Los Angeles): \(times.localTime(first, in: "America/Los_Angeles").text)"))
            #expect(invitee.text.contains("/bookings/\(moved.id.uuidString.lowercased())/reschedule?token=\(token)"))
            for message in [invitee, host] {
                let calendar = ICalendarObject(try #require(message.calendarPart).decodedBody)
                #expect(calendar.problems.isEmpty, "\(calendar.problems)")
                #expect(calendar.value("METHOD") == "REQUEST")
                // The same event as the first invitation, one sequence later.
                #expect(calendar.value("UID") == "\(booking.id.uuidString.lowercased())@rendezvous")
                #expect(calendar.value("SEQUENCE") == "1")
                #expect(calendar.value("DTSTART") == ICalendarText.utc(second))
            }
            #expect(try await eventually(timeout: .seconds(30)) { try await f.scheduled(booking.id).count == 6 })
            #expect(try await f.scheduled(booking.id) == [
                "confirmation:host:sent", "confirmation:invitee:sent",
                "reminder_1h:host:cancelled", "reminder_1h:invitee:cancelled",
                "reminder_24h:host:cancelled", "reminder_24h:invitee:cancelled",
            ])
            #expect(try await eventually(timeout: .seconds(30)) {
                try await f.scheduled(moved.id) == [
                    "reminder_1h:host:pending", "reminder_1h:invitee:pending",
                    "reminder_24h:host:pending", "reminder_24h:invitee:pending",
                    "reschedule:host:sent", "reschedule:invitee:sent",
                ]
            })
            let due = try await f.db.query("SELECT min(due_at) AS due FROM scheduled_notifications WHERE booking_id = \(moved.id) AND kind = 'reminder_24h'")
            #expect(try due[0].decode("due", as: Date.self) == second.addingTimeInterval(-86_400))
        }
        await f.cleanUp()
    }

    @Test("a booking less than a day ahead gets only the 1 h reminder, sent when due; a reminder of a booking cancelled since is never sent")
    func reminders() async throws {
        let f = try await NotifierFixture.make(hostZone: "Australia/Sydney")
        // 23 hours ahead: its 24 h reminder is past when it is made, its 1 h reminder is 22 hours
        // off however slow the run. The dispatcher's clock is the test's, moved to make it due.
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 23 * 3600)
        let clock = MovableClock()
        try await Self.withNotifier(f, options: f.options(now: { clock.now() })) { _ in
            let (booking, token) = try await f.book(start: start, inviteeZone: "Europe/Paris")
            _ = try await NotifierTestSupport.mails(f.inviteeEmail, kind: "confirmation", count: 1)
            #expect(try await eventually(timeout: .seconds(30)) {
                try await f.scheduled(booking.id) == [
                    "confirmation:host:sent", "confirmation:invitee:sent", "reminder_1h:host:pending", "reminder_1h:invitee:pending",
                ]
            })
            clock.move(to: start.addingTimeInterval(-3600 + 1))
            let reminder = try #require(try await NotifierTestSupport.mails(f.inviteeEmail, kind: "reminder_1h", count: 1).first)
            #expect(reminder.entity.subject == "Reminder: Intro call with Hana O'Host in 1 hour")
            #expect(reminder.text.contains("For you (Paris): \(MeetingTimeFormatter().localTime(start, in: "Europe/Paris").text)"))
            #expect(reminder.text.contains("reschedule?token=\(token)"))
            _ = try await NotifierTestSupport.mails(f.hostEmail, kind: "reminder_1h", count: 1)

            // Cancelled in the database before its reminder is due (the event is not even needed):
            // the dispatcher re-reads the booking and skips it.
            let other = try await f.book(start: start.addingTimeInterval(3600), email: "ivy-late-\(f.tag)@example.com")
            _ = try await NotifierTestSupport.mails("ivy-late-\(f.tag)@example.com", kind: "confirmation", count: 1)
            _ = try await f.cancel(other.booking, reason: nil, event: false)
            clock.move(to: start.addingTimeInterval(1))
            #expect(try await eventually(timeout: .seconds(30)) {
                try await f.scheduled(other.booking.id).filter { $0.hasPrefix("reminder_1h") } == [
                    "reminder_1h:host:skipped", "reminder_1h:invitee:skipped",
                ]
            })
            #expect(try MailSink.messages(to: "ivy-late-\(f.tag)@example.com", kind: "reminder_1h").isEmpty)
        }
        await f.cleanUp()
    }

    @Test("integration.needs_reauth asks the host to reconnect the calendar; /metrics counts sent emails by kind and shows the backlog")
    func reconnectCalendar() async throws {
        let f = try await NotifierFixture.make(hostName: "Rita Host")
        try await Self.withNotifier(f) { client in
            _ = try await f.db.withTransaction { session in
                try await Outbox.enqueue(IntegrationNeedsReauth(hostUserID: f.hostID, integrationID: UUID(), provider: "google"),
                                         requestID: nil, in: session)
            }
            let mail = try #require(try await NotifierTestSupport.mails(f.hostEmail, kind: "reconnect_calendar", count: 1).first)
            #expect(mail.entity.subject == "Action needed: reconnect your Google calendar")
            #expect(mail.text.contains("Hi Rita Host,"))
            #expect(mail.text.contains("Reconnect your calendar: \(NotifierTestSupport.publicBaseURL)/integrations"))
            #expect(mail.calendarPart == nil)
            #expect(try await eventually(timeout: .seconds(30)) {
                let rows = try await f.db.query("SELECT status FROM email_notifications WHERE host_user_id = \(f.hostID) AND type = 'reconnect_calendar'")
                return try rows.map { try $0.decode("status", as: String.self) } == ["sent"]
            })
            // The gauges are sampled by the dispatcher loop (every 5 s by default; at its first turn here).
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [:], body: nil)
            let text = String(buffer: metrics.body)
            #expect(text.contains(#"calendly_notifications_sent_total{kind="reconnect_calendar"}"#))
            #expect(text.contains("calendly_notification_backlog "))
            #expect(text.contains("calendly_notification_backlog_oldest_age_seconds "))
            #expect(text.contains("calendly_notification_delivery_lag_seconds_bucket"))
        }
        await f.cleanUp()
    }

    @Test("the same event delivered again and a notifier restart send nothing twice")
    func noDuplicates() async throws {
        let f = try await NotifierFixture.make()
        let start = NotifierFixture.hoursAhead(24 * 30)
        let booking = try await Self.withNotifier(f) { _ in
            let booking = try await f.book(start: start).booking
            _ = try await NotifierTestSupport.mails(f.inviteeEmail, kind: "confirmation", count: 1)
            _ = try await NotifierTestSupport.mails(f.hostEmail, kind: "confirmation", count: 1)
            return booking
        }
        // The broker redelivers the same event (same id) to a restarted notifier.
        let row = try await f.db.query("SELECT body FROM outbox WHERE type = 'booking.created' AND body ILIKE \("%\(booking.id.uuidString)%")")
        let body = try #require(row.first).decode("body", as: String.self)
        try await Self.withNotifier(f) { _ in
            let amqp = AMQPConnection(configuration: try TestEnvironment.amqpConfiguration(), logger: testLogger("amqp"))
            try await amqp.publish(exchange: "", routingKey: f.queue, body: Array(body.utf8), properties: AMQPMessageProperties(contentType: "application/json"))
            await amqp.close()
            try await Task.sleep(for: .seconds(2))
        }
        #expect(try MailSink.messages(to: f.inviteeEmail, kind: "confirmation").count == 1)
        #expect(try MailSink.messages(to: f.hostEmail, kind: "confirmation").count == 1)
        let audit = try await f.db.query("SELECT count(*)::int AS n FROM email_notifications WHERE booking_id = \(booking.id)")
        #expect(try audit[0].decode("n", as: Int.self) == 2)
        await f.cleanUp()
    }
}

/// The audit list as a client reads it.
struct AuditList: Decodable {
    struct Entry: Decodable {
        let id: String
        let bookingId: String?
        let recipient: String
        let type: String
        let subject: String
        let status: String
        let sentAt: String?

        enum CodingKeys: String, CodingKey {
            case id, recipient, type, subject, status
            case bookingId = "booking_id"
            case sentAt = "sent_at"
        }
    }

    let data: [Entry]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }
}

/// A problem JSON body.
struct ProblemJSON: Decodable {
    struct FieldError: Decodable { let field: String; let message: String }
    let status: Int
    let code: String
    let errors: [FieldError]?
}
