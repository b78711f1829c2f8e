import Cryptography
import Curl
import Events
import Foundation
import Postgres
import Testing
import TestSupport
@testable import NotifierService

/// The dispatcher alone: rows scheduled directly with the scheduler (no broker), sent through a
/// scripted transport or the real SMTP sink.
@Suite("Notifier: the dispatcher")
struct NotifierDispatcherTests {
    /// A dispatcher over the test database.
    static func dispatcher(
        _ f: NotifierFixture, transport: any MailTransport, configuration: NotificationDispatcher.Configuration,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> NotificationDispatcher {
        let settings = try NotifierTestSupport.configuration()
        var configuration = configuration
        configuration.onlyHosts = [f.hostID]
        return NotificationDispatcher(
            database: f.db, transport: transport,
            renderer: NotificationRenderer(templates: try EmailTemplates.bundled(), publicBaseURL: settings.publicBaseURL),
            repository: NotifierService.repository(settings), sender: .init(address: settings.mailFrom),
            encryptionKey: try NotifierTestSupport.encryptionKey(), databaseURL: NotifierTestSupport.databaseURL,
            logger: testLogger("dispatcher"), now: now, configuration: configuration
        )
    }

    /// Books `count` meetings (rows only) and schedules their emails as the consumer would.
    static func schedule(_ f: NotifierFixture, count: Int, start: Date) async throws -> [BookingSnapshot] {
        let scheduler = NotificationScheduler(
            directory: NotificationDirectory(), repository: NotifierService.repository(try NotifierTestSupport.configuration()),
            logger: testLogger("scheduler")
        )
        var bookings: [BookingSnapshot] = []
        for index in 0..<count {
            let (booking, token) = try await f.bookWithoutEvent(start: start.addingTimeInterval(Double(index) * 3600))
            try await f.db.withTransaction { session in
                try await scheduler.created(BookingCreated(booking: booking, sealedCancelToken: try f.seal(token, for: booking.id)),
                                            at: Date(), in: session)
            }
            bookings.append(booking)
        }
        return bookings
    }

    static func statuses(_ f: NotifierFixture) async throws -> [String: Int] {
        let rows = try await f.db.query("""
            SELECT status, count(*)::int AS n FROM scheduled_notifications WHERE host_user_id = \(f.hostID) AND kind = 'confirmation' GROUP BY status
            """)
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode("status", as: String.self), try $0.decode("n", as: Int.self)) })
    }

    @Test("two dispatchers share 60 emails: each is sent exactly once")
    func twoDispatchers() async throws {
        let f = try await NotifierFixture.make()
        let first = ScriptedTransport()
        let second = ScriptedTransport()
        let configuration = NotificationDispatcher.Configuration(batchSize: 4, concurrency: 2, pollInterval: .milliseconds(100))
        try await withServices([
            try Self.dispatcher(f, transport: first, configuration: configuration),
            try Self.dispatcher(f, transport: second, configuration: configuration),
        ]) {
            _ = try await Self.schedule(f, count: 30, start: NotifierFixture.hoursAhead(24 * 50))
            #expect(try await eventually(timeout: .seconds(30)) { try await Self.statuses(f)["sent"] == 60 })
        }
        // Other tests' dispatchers may take some of our rows; ours must never repeat one.
        let mine = (first.messages + second.messages).filter { $0.contains(f.tag) || $0.contains(f.hostEmail) }
        let ids = mine.compactMap { MIMEEntity($0).headers["message-id"] }
        #expect(Set(ids).count == ids.count)
        #expect(!first.messages.isEmpty && !second.messages.isEmpty)
        let audit = try await f.db.query("SELECT count(*)::int AS n, count(DISTINCT scheduled_notification_id)::int AS d FROM email_notifications WHERE host_user_id = \(f.hostID)")
        #expect(try audit[0].decode("n", as: Int.self) == 60)
        #expect(try audit[0].decode("d", as: Int.self) == 60)
        await f.cleanUp()
    }

    @Test("transient refusals retry with backoff and then succeed; after the last attempt the email is failed and audited; a permanent refusal fails at once")
    func retries() async throws {
        let f = try await NotifierFixture.make()
        let busy = SMTPError(kind: .messageRejected, replyCode: 451, detail: "try later")
        let configuration = NotificationDispatcher.Configuration(
            batchSize: 8, concurrency: 1, pollInterval: .milliseconds(100), maximumAttempts: 3, retryInitialDelay: .milliseconds(100)
        )
        // Two refusals, then accepted: sent on the third attempt.
        let flaky = ScriptedTransport(failures: [busy, busy])
        let (booking, token) = try await f.bookWithoutEvent(start: NotifierFixture.hoursAhead(24 * 50))
        _ = token
        let dispatcher = try Self.dispatcher(f, transport: flaky, configuration: configuration)
        let repository = NotifierService.repository(try NotifierTestSupport.configuration())
        let payload = NotificationPayload(booking: booking, calendarUID: "x@rendezvous", calendarSequence: 0)
        _ = try await f.db.withTransaction { session in
            try await repository.insert(ScheduledNotification(
                dedupeKey: "test:\(f.tag):flaky", bookingID: booking.id, hostUserID: f.hostID, kind: .confirmation, role: .host,
                recipient: f.hostEmail, payload: payload, dueAt: Date()), in: session)
        }
        try await withServices([dispatcher]) {
            let done = try await eventually(timeout: .seconds(30)) { try await Self.statuses(f)["sent"] == 1 }
            #expect(done)
        }
        let sent = try await f.db.query("SELECT attempts FROM scheduled_notifications WHERE dedupe_key = \("test:\(f.tag):flaky")")
        #expect(try sent[0].decode("attempts", as: Int.self) == 3)

        // Always refused (4xx): failed after 3 attempts. Refused for good (5xx): failed after 1.
        let g = try await NotifierFixture.make()
        let (other, _) = try await g.bookWithoutEvent(start: NotifierFixture.hoursAhead(24 * 50))
        let otherPayload = NotificationPayload(booking: other, calendarUID: "y@rendezvous", calendarSequence: 0)
        _ = try await g.db.withTransaction { session in
            try await repository.insert(ScheduledNotification(
                dedupeKey: "test:\(g.tag):busy", bookingID: other.id, hostUserID: g.hostID, kind: .confirmation, role: .host,
                recipient: g.hostEmail, payload: otherPayload, dueAt: Date()), in: session)
        }
        try await withServices([try Self.dispatcher(g, transport: ScriptedTransport(failAlways: busy), configuration: configuration)]) {
            let done = try await eventually(timeout: .seconds(30)) { try await Self.statuses(g)["failed"] == 1 }
            #expect(done)
        }
        let outcomes = try await g.db.query("""
            SELECT s.attempts, e.status FROM scheduled_notifications s JOIN email_notifications e ON e.scheduled_notification_id = s.id
            WHERE s.host_user_id = \(g.hostID)
            """)
        #expect(try outcomes.map { "\(try $0.decode("attempts", as: Int.self)):\(try $0.decode("status", as: String.self))" } == ["3:failed"])

        // Refused for good (5xx): failed after one attempt.
        let h = try await NotifierFixture.make()
        let (third, _) = try await h.bookWithoutEvent(start: NotifierFixture.hoursAhead(24 * 50))
        let rejected = SMTPError(kind: .recipientRejected, replyCode: 550, detail: "no such user")
        _ = try await h.db.withTransaction { session in
            try await repository.insert(ScheduledNotification(
                dedupeKey: "test:\(h.tag):rejected", bookingID: third.id, hostUserID: h.hostID, kind: .confirmation, role: .invitee,
                recipient: h.inviteeEmail, payload: NotificationPayload(booking: third, calendarUID: "z@rendezvous", calendarSequence: 0),
                dueAt: Date()), in: session)
        }
        try await withServices([try Self.dispatcher(h, transport: ScriptedTransport(failAlways: rejected), configuration: configuration)]) {
            let done = try await eventually(timeout: .seconds(30)) { try await Self.statuses(h)["failed"] == 1 }
            #expect(done)
        }
        let final = try await h.db.query("""
            SELECT s.attempts, e.status, e.error FROM scheduled_notifications s JOIN email_notifications e ON e.scheduled_notification_id = s.id
            WHERE s.host_user_id = \(h.hostID)
            """)
        #expect(try final.map { "\(try $0.decode("attempts", as: Int.self)):\(try $0.decode("status", as: String.self))" } == ["1:failed"])
        #expect(try final.first?.decode("error", as: String?.self)?.contains("550") == true)
        await h.cleanUp()
        await f.cleanUp()
        await g.cleanUp()
    }

    @Test("the backoff doubles per attempt up to its ceiling")
    func backoff() async throws {
        let f = try await NotifierFixture.make()
        let dispatcher = try Self.dispatcher(f, transport: ScriptedTransport(), configuration: .init(retryInitialDelay: .seconds(30), retryMaximumDelay: .seconds(600)))
        #expect((1...7).map { dispatcher.backoff(afterAttempt: $0) } == [30, 60, 120, 240, 480, 600, 600].map { Duration.seconds($0) })
        await f.cleanUp()
    }

    @Test("a dispatcher stopped between SMTP acceptance and recording: after restart the email is not sent again, and shows as unconfirmed")
    func crashAfterAcceptance() async throws {
        let f = try await NotifierFixture.make()
        let smtp = try SMTPClient(url: try NotifierTestSupport.configuration().smtpURL, logger: testLogger("smtp"))
        let bookings = try await Self.schedule(f, count: 1, start: NotifierFixture.hoursAhead(24 * 50))
        struct Crash: Error {}
        let crashing = NotificationDispatcher.Configuration(
            pollInterval: .milliseconds(100),
            afterAccepted: { _ in throw Crash() }
        )
        // The first dispatcher "dies" right after the server accepted a message.
        await #expect(throws: Crash.self) {
            try await Self.dispatcher(f, transport: smtp, configuration: crashing).run()
        }
        let sending = try await f.db.query("SELECT id, recipient FROM scheduled_notifications WHERE booking_id = \(bookings[0].id) AND status = 'sending'")
        #expect(sending.count >= 1)
        let recipient = try sending[0].decode("recipient", as: String.self)
        #expect(try await eventually(timeout: .seconds(30)) { try MailSink.messages(to: recipient, kind: "confirmation").count == 1 })

        // A restarted dispatcher: the row in `sending` is never handed to SMTP again.
        let restarted = NotificationDispatcher.Configuration(
            pollInterval: .milliseconds(100), sendingTimeout: .seconds(1), recoveryInterval: .milliseconds(200)
        )
        try await withServices([try Self.dispatcher(f, transport: smtp, configuration: restarted)]) {
            #expect(try await eventually(timeout: .seconds(15)) {
                let rows = try await f.db.query("SELECT status FROM scheduled_notifications WHERE id = \(try sending[0].decode("id", as: UUID.self))")
                return try rows[0].decode("status", as: String.self) == "unconfirmed"
            })
            // Everything that had not reached SMTP is sent by the new dispatcher.
            #expect(try await eventually(timeout: .seconds(15)) {
                try await f.scheduled(bookings[0].id).filter { $0.hasPrefix("confirmation") }.allSatisfy { $0.hasSuffix(":sent") || $0.hasSuffix(":unconfirmed") }
            })
            try await Task.sleep(for: .seconds(1))
        }
        #expect(try MailSink.messages(to: recipient, kind: "confirmation").count == 1)
        let audit = try await f.db.query("SELECT status FROM email_notifications WHERE scheduled_notification_id = \(try sending[0].decode("id", as: UUID.self))")
        #expect(try audit.map { try $0.decode("status", as: String.self) } == ["unconfirmed"])
        try await smtp.shutdown()
        await f.cleanUp()
    }
}

extension NotifierFixture {
    /// A booking row without an event (the dispatcher tests schedule its emails directly).
    func bookWithoutEvent(start: Date) async throws -> (BookingSnapshot, String) {
        let token = Base64URL.encode(try SecureRandom.bytes(count: 32))
        let booking = BookingSnapshot(
            id: UUID(), hostUserID: hostID, meetingTypeID: meetingTypeID, status: "confirmed",
            startTime: start, endTime: start.addingTimeInterval(1800), bufferBeforeMinutes: 0, bufferAfterMinutes: 0,
            inviteeName: "Ivy Invitee", inviteeEmail: inviteeEmail, inviteeTimezone: "Europe/London", answers: [:], version: 1
        )
        try await db.query("""
            INSERT INTO bookings (id, host_user_id, meeting_type_id, start_time, end_time, status, invitee_name, invitee_email,
                                  invitee_timezone, version, cancel_token_hash)
            VALUES (\(booking.id), \(hostID), \(meetingTypeID), \(start), \(booking.endTime), 'confirmed', 'Ivy Invitee',
                    \(inviteeEmail), 'Europe/London', 1, \(PostgresBytes(SHA256.hash(Array(token.utf8))))::bytea)
            """)
        return (booking, token)
    }
}
