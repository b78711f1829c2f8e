import Foundation
import Postgres

/// The SQL of the links between bookings and the events written back into hosts' calendars.
package enum MeetingLinkRepository {
    package static func link(booking: UUID, integration: UUID, in session: PostgresSession) async throws -> String? {
        try await session.query("""
            SELECT external_event_id FROM calendar_event_links WHERE booking_id = \(booking) AND integration_id = \(integration)
            """).first.map { try $0.decode("external_event_id", as: String.self) }
    }

    /// The links of a booking, with their integrations.
    package static func links(booking: UUID, in session: PostgresSession) async throws -> [(integration: UUID, externalID: String)] {
        try await session.query("""
            SELECT integration_id, external_event_id FROM calendar_event_links WHERE booking_id = \(booking)
            """).map { (try $0.decode("integration_id", as: UUID.self), try $0.decode("external_event_id", as: String.self)) }
    }

    /// Records a written meeting, and drops the busy copy a sync may have read of it meanwhile.
    package static func insertLink(booking: UUID, integration: UUID, externalID: String, in session: PostgresSession) async throws {
        try await session.query("""
            INSERT INTO calendar_event_links (booking_id, integration_id, external_event_id)
            VALUES (\(booking), \(integration), \(externalID))
            ON CONFLICT (booking_id, integration_id) DO UPDATE SET external_event_id = excluded.external_event_id
            """)
        try await session.query("""
            DELETE FROM external_busy_intervals WHERE integration_id = \(integration) AND external_event_id = \(externalID)
            """)
    }

    package static func deleteLink(booking: UUID, integration: UUID, in session: PostgresSession) async throws {
        try await session.query("DELETE FROM calendar_event_links WHERE booking_id = \(booking) AND integration_id = \(integration)")
    }

    /// The provider ids of meetings the service wrote into this calendar (a sync must not read them back as busy time).
    package static func ownEventIDs(integration: UUID, in session: PostgresSession) async throws -> Set<String> {
        Set(try await session.query("""
            SELECT external_event_id FROM calendar_event_links WHERE integration_id = \(integration)
            """).map { try $0.decode("external_event_id", as: String.self) })
    }
}
