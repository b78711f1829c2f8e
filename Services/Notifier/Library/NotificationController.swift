import Foundation
import Hummingbird
import Postgres
import ServiceRuntime

/// `GET /api/notifications?booking_id=`: the audit log of a host's own booking.
struct NotificationController: Sendable {
    let repository: EmailNotificationRepository
    let database: PostgresClient

    func register(on router: Router<ServiceRequestContext>) {
        router.group("/api/notifications").get(use: list)
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> ListPage<NotificationResource> {
        let host = try context.requireHost()
        guard let text = request.uri.queryParameters["booking_id"], !text.isEmpty else {
            throw Problem.validation(field: "booking_id", "is required")
        }
        guard let bookingID = UUID(uuidString: String(text)) else {
            throw Problem.validation(field: "booking_id", "must be a UUID")
        }
        // Another host's booking looks exactly like one that does not exist.
        guard try await repository.hostOfBooking(bookingID, in: database) == host else {
            throw Problem.notFound("The booking does not exist.")
        }
        let entries = try await repository.entries(bookingID: bookingID, in: database)
        return ListPage(data: entries.map(NotificationResource.init), nextCursor: nil)
    }
}

/// One audited email as the API shows it.
struct NotificationResource: Codable, Sendable, Equatable {
    var id: UUID
    var bookingID: UUID?
    var recipient: String
    var type: String
    var subject: String
    var status: String
    var sentAt: String?

    init(_ entry: EmailNotificationRepository.Entry) {
        id = entry.id
        bookingID = entry.bookingID
        recipient = entry.recipient
        type = entry.type
        subject = entry.subject
        status = entry.status
        sentAt = entry.sentAt.map(RFC3339.format)
    }

    enum CodingKeys: String, CodingKey {
        case id, recipient, type, subject, status
        case bookingID = "booking_id"
        case sentAt = "sent_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(bookingID?.uuidString.lowercased(), forKey: .bookingID)
        try container.encode(recipient, forKey: .recipient)
        try container.encode(type, forKey: .type)
        try container.encode(subject, forKey: .subject)
        try container.encode(status, forKey: .status)
        try container.encode(sentAt, forKey: .sentAt)  // null, not absent, until sent
    }
}

