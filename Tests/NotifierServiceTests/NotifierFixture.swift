import AMQP
import Cryptography
import Events
import Foundation
import Hummingbird
import Postgres
import ServiceRuntime
import TestSupport
@testable import NotifierService

/// A host and a meeting type made in the database (the availability service's tables), and
/// bookings made the way the booking service makes them: the row and its event in one
/// transaction through the outbox (so the events travel through the relay and RabbitMQ).
struct NotifierFixture: Sendable {
    let db: PostgresClient
    let tag: String
    let hostID: UUID
    let hostEmail: String
    let hostName: String
    let hostZone: String
    let meetingTypeID: UUID
    let hostToken: String
    /// A unique address per fixture, so the test finds its own messages in the sink.
    let inviteeEmail: String

    static func make(
        hostZone: String = "America/New_York", hostName: String = "Hana O'Host", meetingTypeName: String = "Intro call"
    ) async throws -> NotifierFixture {
        let db = try await NotifierTestSupport.database()
        let tag = freshTag()
        let host = UUID()
        let type = UUID()
        let hostEmail = "host-\(tag)@example.com"
        try await db.query("""
            INSERT INTO users (id, email, password_hash, name, time_zone, slug)
            VALUES (\(host), \(hostEmail), 'x', \(hostName), \(hostZone), \("n-\(tag)-\(host.uuidString.lowercased().prefix(8))"))
            """)
        try await db.query("""
            INSERT INTO meeting_types (id, user_id, name, slug, duration_minutes)
            VALUES (\(type), \(host), \(meetingTypeName), 'intro', 30)
            """)
        let token = try await AccessTokens(secret: NotifierTestSupport.secret).issue(for: host)
        return NotifierFixture(
            db: db, tag: tag, hostID: host, hostEmail: hostEmail, hostName: hostName, hostZone: hostZone,
            meetingTypeID: type, hostToken: token, inviteeEmail: "ivy-\(tag)@example.com"
        )
    }

    /// The notifier options of this test: a fresh queue, only this host's events, short retries.
    func options(
        dispatcher: NotificationDispatcher.Configuration = .init(pollInterval: .milliseconds(250)),
        transport: (any MailTransport)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> NotifierOptions {
        let host = hostID
        var dispatcher = dispatcher
        dispatcher.onlyHosts = [host]
        return NotifierOptions(
            queue: queue,
            consumer: .init(retryDelays: [.milliseconds(300)]),
            dispatcher: dispatcher, now: now, transport: transport,
            acceptsHost: { $0 == host }
        )
    }

    var queue: String { "notifier.test.\(tag)" }

    /// The topology of ``options(dispatcher:transport:now:)``'s queue, declared before anything is published.
    var topology: EventTopology {
        EventTopology(queue: queue, bindings: ["booking.*", IntegrationNeedsReauth.type], retryDelays: [.milliseconds(300)],
                      deliveryLimit: EventTopology.defaultDeliveryLimit)
    }

    func app(_ options: NotifierOptions) async throws -> some ApplicationProtocol {
        try await buildApplication(
            NotifierService.definition(options), configuration: NotifierTestSupport.configuration(),
            logger: testLogger("notifier-test")
        )
    }

    /// The booking service's relay over the same outbox (any relay publishes any row).
    func relay(_ amqp: AMQPConnection) -> OutboxRelay {
        OutboxRelay(database: db, amqp: amqp, logger: testLogger("relay"), databaseURL: NotifierTestSupport.databaseURL)
    }

    /// Books `start` for the invitee, with its `booking.created` event in the same transaction.
    func book(
        start: Date, minutes: Int = 30, inviteeZone: String = "Europe/London", inviteeName: String = "Ivy Invitee", email: String? = nil
    ) async throws -> (booking: BookingSnapshot, token: String) {
        let token = Base64URL.encode(try SecureRandom.bytes(count: 32))
        let booking = BookingSnapshot(
            id: UUID(), hostUserID: hostID, meetingTypeID: meetingTypeID, status: "confirmed",
            startTime: start, endTime: start.addingTimeInterval(Double(minutes) * 60), bufferBeforeMinutes: 0, bufferAfterMinutes: 0,
            inviteeName: inviteeName, inviteeEmail: email ?? inviteeEmail, inviteeTimezone: inviteeZone, answers: [:], version: 1
        )
        try await db.withTransaction { session in
            try await insert(booking, token: token, in: session)
            try await Outbox.enqueue(BookingCreated(booking: booking, sealedCancelToken: try seal(token, for: booking.id)),
                                     requestID: "req-\(tag)", in: session)
        }
        return (booking, token)
    }

    /// Cancels as the booking service does: the row, then `booking.cancelled`.
    func cancel(_ booking: BookingSnapshot, reason: String?, by actor: BookingCancelled.CancelledBy = .invitee, event: Bool = true) async throws -> BookingSnapshot {
        var cancelled = booking
        cancelled.status = "cancelled"
        cancelled.version += 1
        try await db.withTransaction { session in
            try await session.query("""
                UPDATE bookings SET status = 'cancelled', cancel_reason = \(reason), cancelled_at = now(), version = version + 1
                WHERE id = \(booking.id)
                """)
            if event {
                try await Outbox.enqueue(BookingCancelled(booking: cancelled, reason: reason, cancelledBy: actor), requestID: nil, in: session)
            }
        }
        return cancelled
    }

    /// Moves a booking as the booking service does: the old row `rescheduled`, a new one, `booking.rescheduled`.
    func reschedule(_ booking: BookingSnapshot, to start: Date) async throws -> (booking: BookingSnapshot, token: String) {
        let token = Base64URL.encode(try SecureRandom.bytes(count: 32))
        var previous = booking
        previous.status = "rescheduled"
        previous.version += 1
        var moved = booking
        moved.id = UUID()
        moved.startTime = start
        moved.endTime = start.addingTimeInterval(booking.endTime.timeIntervalSince(booking.startTime))
        moved.version = 1
        moved.rescheduledFrom = booking.id
        try await db.withTransaction { session in
            try await session.query("UPDATE bookings SET status = 'rescheduled', version = version + 1 WHERE id = \(booking.id)")
            try await insert(moved, token: token, in: session)
            try await Outbox.enqueue(BookingRescheduled(previous: previous, booking: moved, sealedCancelToken: try seal(token, for: moved.id)),
                                     requestID: nil, in: session)
        }
        return (moved, token)
    }

    private func insert(_ booking: BookingSnapshot, token: String, in session: PostgresSession) async throws {
        try await session.query("""
            INSERT INTO bookings (id, host_user_id, meeting_type_id, start_time, end_time, status, invitee_name, invitee_email,
                                  invitee_timezone, version, cancel_token_hash, rescheduled_from)
            VALUES (\(booking.id), \(booking.hostUserID), \(booking.meetingTypeID), \(booking.startTime), \(booking.endTime),
                    \(booking.status), \(booking.inviteeName), \(booking.inviteeEmail), \(booking.inviteeTimezone), \(booking.version),
                    \(PostgresBytes(SHA256.hash(Array(token.utf8))))::bytea, \(booking.rescheduledFrom))
            """)
    }

    func seal(_ token: String, for bookingID: UUID) throws -> String {
        Base64URL.encode(try AESGCM.seal(Array(token.utf8), using: NotifierTestSupport.encryptionKey(),
                                         associatedData: Array(bookingID.uuidString.lowercased().utf8)).serialized)
    }

    /// `(kind, role, status)` of a booking's scheduled rows, sorted.
    func scheduled(_ bookingID: UUID) async throws -> [String] {
        let rows = try await db.query("""
            SELECT kind || ':' || recipient_role || ':' || status AS line FROM scheduled_notifications
            WHERE booking_id = \(bookingID) ORDER BY 1
            """)
        return try rows.map { try $0.decode("line", as: String.self) }
    }

    /// Makes this host's waiting rows due now (instead of waiting hours for a reminder).
    func makeDue(_ bookingID: UUID, kind: NotificationKind) async throws {
        try await db.query("""
            UPDATE scheduled_notifications SET due_at = now() - interval '1 second'
            WHERE booking_id = \(bookingID) AND kind = \(kind.rawValue) AND status = 'pending'
            """)
    }

    /// Leaves nothing behind that another run would send: this host's waiting rows are cancelled; the queues go.
    func cleanUp() async {
        _ = try? await db.query("""
            UPDATE scheduled_notifications SET status = 'cancelled' WHERE host_user_id = \(hostID) AND status IN ('pending', 'claimed')
            """)
        let amqp = AMQPConnection(configuration: try! TestEnvironment.amqpConfiguration(), logger: testLogger("amqp"))
        for name in topology.queueNames { _ = try? await amqp.deleteQueue(name) }
        await amqp.close()
        try? await db.shutdown()
    }

    /// Declares the queue and its bindings before events are published (or they would go nowhere).
    func declareQueue() async throws {
        let amqp = AMQPConnection(configuration: try TestEnvironment.amqpConfiguration(), logger: testLogger("amqp"))
        try await amqp.declare(topology.amqpTopology)
        await amqp.close()
    }

    /// The start of the hour `hours` ahead of now (whole minutes keep the times readable).
    static func hoursAhead(_ hours: Double) -> Date {
        let now = Date().timeIntervalSince1970
        return Date(timeIntervalSince1970: (now / 3600).rounded(.down) * 3600 + hours * 3600)
    }
}
