import Foundation
import Postgres

/// The audit log (`email_notifications`) as hosts read it, and whose booking is whose.
struct EmailNotificationRepository: Sendable {
    /// One audited email.
    struct Entry: Sendable, Equatable {
        var id: UUID
        var bookingID: UUID?
        var recipient: String
        var type: String
        var subject: String
        var status: String
        var sentAt: Date?
    }

    /// The host of a booking, or nil when no such booking exists.
    func hostOfBooking(_ id: UUID, in client: PostgresClient) async throws -> UUID? {
        try await client.query("SELECT host_user_id FROM bookings WHERE id = \(id)").first.map { try $0.decode("host_user_id", as: UUID.self) }
    }

    /// A booking's audited emails, oldest first.
    func entries(bookingID: UUID, in client: PostgresClient) async throws -> [Entry] {
        let rows = try await client.query("""
            SELECT id, booking_id, recipient, type, subject, status, sent_at FROM email_notifications
            WHERE booking_id = \(bookingID) ORDER BY created_at, id
            """)
        return try rows.map {
            Entry(
                id: try $0.decode("id", as: UUID.self), bookingID: try $0.decode("booking_id", as: UUID?.self),
                recipient: try $0.decode("recipient", as: String.self), type: try $0.decode("type", as: String.self),
                subject: try $0.decode("subject", as: String.self), status: try $0.decode("status", as: String.self),
                sentAt: try $0.decode("sent_at", as: Date?.self)
            )
        }
    }
}
