import Foundation
import Postgres

/// What the notifier reads from other services' tables (read-only): hosts, meeting types and
/// the current state of bookings.
struct NotificationDirectory: Sendable {
    /// A host as the emails show them.
    struct Host: Sendable, Equatable {
        var email: String
        var name: String
        var timeZone: String
    }

    /// A booking as it stands now, to tell whether a scheduled email still applies.
    struct BookingState: Sendable, Equatable {
        var status: String
        var version: Int
        var startTime: Date
    }

    func host(_ id: UUID, in session: PostgresSession) async throws -> Host? {
        let rows = try await session.query("SELECT email, name, time_zone FROM users WHERE id = \(id)")
        return try rows.first.map {
            Host(email: try $0.decode("email", as: String.self), name: try $0.decode("name", as: String.self),
                 timeZone: try $0.decode("time_zone", as: String.self))
        }
    }

    func meetingTypeName(_ id: UUID, in session: PostgresSession) async throws -> String? {
        try await session.query("SELECT name FROM meeting_types WHERE id = \(id)").first.map { try $0.decode("name", as: String.self) }
    }

    func bookingState(_ id: UUID, in session: PostgresSession) async throws -> BookingState? {
        let rows = try await session.query("SELECT status, version, start_time FROM bookings WHERE id = \(id)")
        return try rows.first.map {
            BookingState(status: try $0.decode("status", as: String.self), version: try $0.decode("version", as: Int.self),
                         startTime: try $0.decode("start_time", as: Date.self))
        }
    }

    /// The first booking of the chain of reschedules that ends at `id`, and how many moves led
    /// to `id` (0 for a booking never moved): the iCalendar `UID` and `SEQUENCE`.
    func rescheduleChain(endingAt id: UUID, in session: PostgresSession) async throws -> (root: UUID, moves: Int) {
        let rows = try await session.query("""
            WITH RECURSIVE chain(id, rescheduled_from, depth) AS (
                SELECT id, rescheduled_from, 0 FROM bookings WHERE id = \(id)
                UNION ALL
                SELECT b.id, b.rescheduled_from, chain.depth + 1 FROM bookings b JOIN chain ON b.id = chain.rescheduled_from
                WHERE chain.depth < 1000
            )
            SELECT id, depth FROM chain ORDER BY depth DESC LIMIT 1
            """)
        guard let row = rows.first else { return (id, 0) }
        return (try row.decode("id", as: UUID.self), try row.decode("depth", as: Int.self))
    }
}
