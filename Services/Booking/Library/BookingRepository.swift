import Events
import Foundation
import Postgres

/// The `bookings` table; every write runs on the caller's transaction.
struct BookingRepository: Sendable {
    /// Layer 3: serialises bookings of one host (`SELECT … FOR UPDATE` on the host row).
    /// Returns `false` when the host does not exist.
    func lockHost(_ hostID: UUID, in session: PostgresSession) async throws -> Bool {
        try await !session.query("SELECT id FROM users WHERE id = \(hostID) FOR UPDATE").isEmpty
    }

    /// Inserts the booking and its event's outbox row in one statement (one round trip); the
    /// event is built from the booking as it will be stored.
    func insert(_ booking: Booking, event: (Booking) throws -> Outbox.Row, in session: PostgresSession) async throws -> Booking {
        let message = try event(booking)
        let rows = try await session.query("""
            WITH inserted AS (
                INSERT INTO bookings (id, host_user_id, meeting_type_id, start_time, end_time, buffer_before_minutes,
                                      buffer_after_minutes, status, invitee_name, invitee_email, invitee_timezone, answers,
                                      version, cancel_token_hash, rescheduled_from)
                VALUES (\(booking.id), \(booking.hostUserID), \(booking.meetingTypeID), \(booking.startTime), \(booking.endTime),
                        \(booking.bufferBeforeMinutes), \(booking.bufferAfterMinutes), \(booking.status.rawValue),
                        \(booking.inviteeName), \(booking.inviteeEmail), \(booking.inviteeTimezone),
                        \(try PostgresJSON(encoding: booking.answers))::jsonb, \(booking.version),
                        \(PostgresBytes(booking.cancelTokenHash))::bytea, \(booking.rescheduledFrom))
                RETURNING \(unescaped: Booking.columns)
            ), event AS (
                INSERT INTO outbox (id, type, version, body, request_id)
                SELECT \(message.id), \(message.type), \(message.version), \(message.body), \(message.requestID) FROM inserted
            )
            SELECT * FROM inserted
            """)
        return try Booking(row: rows[0])
    }

    func insert(_ booking: Booking, in session: PostgresSession) async throws -> Booking {
        let rows = try await session.query("""
            INSERT INTO bookings (id, host_user_id, meeting_type_id, start_time, end_time, buffer_before_minutes,
                                  buffer_after_minutes, status, invitee_name, invitee_email, invitee_timezone, answers,
                                  version, cancel_token_hash, rescheduled_from)
            VALUES (\(booking.id), \(booking.hostUserID), \(booking.meetingTypeID), \(booking.startTime), \(booking.endTime),
                    \(booking.bufferBeforeMinutes), \(booking.bufferAfterMinutes), \(booking.status.rawValue),
                    \(booking.inviteeName), \(booking.inviteeEmail), \(booking.inviteeTimezone),
                    \(try PostgresJSON(encoding: booking.answers))::jsonb, \(booking.version),
                    \(PostgresBytes(booking.cancelTokenHash))::bytea, \(booking.rescheduledFrom))
            RETURNING \(unescaped: Booking.columns)
            """)
        return try Booking(row: rows[0])
    }

    func find(_ id: UUID, in session: PostgresSession, forUpdate: Bool = false) async throws -> Booking? {
        let rows = try await session.query("""
            SELECT \(unescaped: Booking.columns) FROM bookings WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """)
        return try rows.first.map(Booking.init(row:))
    }

    /// Cancels a confirmed booking, raising its version.
    func cancel(_ id: UUID, reason: String?, in session: PostgresSession) async throws -> Booking {
        let rows = try await session.query("""
            UPDATE bookings SET status = 'cancelled', cancel_reason = \(reason), cancelled_at = now(),
                   version = version + 1, updated_at = now()
            WHERE id = \(id) AND status = 'confirmed'
            RETURNING \(unescaped: Booking.columns)
            """)
        guard let row = rows.first else { throw PostgresError(kind: .server, message: "booking \(id.uuidString.lowercased()) is not confirmed") }
        return try Booking(row: row)
    }

    /// Marks a confirmed booking `rescheduled` if its version is still `version` (optimistic locking);
    /// `nil` when it changed meanwhile.
    func markRescheduled(_ id: UUID, expectedVersion version: Int, in session: PostgresSession) async throws -> Booking? {
        let rows = try await session.query("""
            UPDATE bookings SET status = 'rescheduled', version = version + 1, updated_at = now()
            WHERE id = \(id) AND status = 'confirmed' AND version = \(version)
            RETURNING \(unescaped: Booking.columns)
            """)
        return try rows.first.map(Booking.init(row:))
    }

    /// A page of a host's bookings ordered by start, then id, after the cursor position.
    func list(
        host: UUID, status: Booking.Status?, from: Date?, to: Date?, after cursor: (Date, UUID)?, newestFirst: Bool = false, limit: Int,
        in client: PostgresClient
    ) async throws -> [Booking] {
        // The direction is one of two fixed words, never input.
        let (past, order) = newestFirst ? ("<", "start_time DESC, id DESC") : (">", "start_time, id")
        let rows = try await client.query("""
            SELECT \(unescaped: Booking.columns) FROM bookings
            WHERE host_user_id = \(host)
              AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(from)::timestamptz IS NULL OR start_time >= \(from))
              AND (\(to)::timestamptz IS NULL OR start_time < \(to))
              AND (\(cursor?.0)::timestamptz IS NULL OR (start_time, id) \(unescaped: past) (\(cursor?.0), \(cursor?.1)::uuid))
            ORDER BY \(unescaped: order)
            LIMIT \(limit)
            """)
        return try rows.map(Booking.init(row:))
    }
}
