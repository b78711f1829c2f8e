import Foundation
import Postgres

/// One row of `scheduled_notifications` as a dispatcher holds it after claiming it.
struct ScheduledNotification: Sendable, Equatable {
    var id: UUID
    var dedupeKey: String
    var bookingID: UUID?
    var hostUserID: UUID
    var kind: NotificationKind
    var role: RecipientRole
    var recipient: String
    var payload: NotificationPayload
    var dueAt: Date
    /// Attempts made, this one included.
    var attempts: Int
    /// The claim that owns the row.
    var attemptID: UUID?

    static let columns = "id, dedupe_key, booking_id, host_user_id, kind, recipient_role, recipient, payload, due_at, attempts, attempt_id"

    init(row: PostgresRow) throws {
        id = try row.decode("id", as: UUID.self)
        dedupeKey = try row.decode("dedupe_key", as: String.self)
        bookingID = try row.decode("booking_id", as: UUID?.self)
        hostUserID = try row.decode("host_user_id", as: UUID.self)
        let kindText = try row.decode("kind", as: String.self)
        let roleText = try row.decode("recipient_role", as: String.self)
        guard let kind = NotificationKind(rawValue: kindText), let role = RecipientRole(rawValue: roleText) else {
            throw InvalidNotificationRow(kind: kindText, role: roleText)
        }
        self.kind = kind
        self.role = role
        recipient = try row.decode("recipient", as: String.self)
        payload = try row.decode("payload", as: PostgresJSON.self).decode(NotificationPayload.self, decoder: NotificationPayload.decoder)
        dueAt = try row.decode("due_at", as: Date.self)
        attempts = try row.decode("attempts", as: Int.self)
        attemptID = try row.decode("attempt_id", as: UUID?.self)
    }

    init(
        id: UUID = UUID(), dedupeKey: String, bookingID: UUID?, hostUserID: UUID, kind: NotificationKind, role: RecipientRole,
        recipient: String, payload: NotificationPayload, dueAt: Date, attempts: Int = 0, attemptID: UUID? = nil
    ) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.bookingID = bookingID
        self.hostUserID = hostUserID
        self.kind = kind
        self.role = role
        self.recipient = recipient
        self.payload = payload
        self.dueAt = dueAt
        self.attempts = attempts
        self.attemptID = attemptID
    }
}

extension NotificationPayload {
    /// RFC 3339 instants, as the events carry them.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// A `scheduled_notifications` row whose kind or role this version does not know.
struct InvalidNotificationRow: Error, CustomStringConvertible {
    var kind: String
    var role: String

    var description: String { "scheduled notification with unknown kind \(kind) or role \(role)" }
}
