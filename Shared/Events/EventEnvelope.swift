import Foundation

/// The envelope on the wire: `{id, type, occurred_at, version, data}` (snake_case, RFC 3339 UTC instants).
///
/// The same JSON is stored in `outbox.body` and published as the message body; the AMQP message
/// id is `id`, so consumers deduplicate on it.
package struct EventEnvelope<Data: Codable & Sendable>: Codable, Sendable {
    /// The event id: unique per event, the idempotency key of every consumer.
    package var id: UUID
    /// The event type and routing key, e.g. `booking.created`.
    package var type: String
    /// When the change happened (whole seconds on the wire).
    package var occurredAt: Date
    /// The schema version of `data`.
    package var version: Int
    /// The event's payload.
    package var data: Data

    /// An envelope from its parts.
    package init(id: UUID, type: String, occurredAt: Date, version: Int, data: Data) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.version = version
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case id
        case type
        case occurredAt = "occurred_at"
        case version
        case data
    }
}

extension EventEnvelope where Data: DomainEvent {
    /// The envelope of a domain event, with the event type's name and version.
    package init(id: UUID = UUID(), occurredAt: Date = Date(), event: Data) {
        self.init(id: id, type: Data.type, occurredAt: occurredAt, version: Data.version, data: event)
    }
}
