import AMQP
import Foundation

/// One event as a consumer's handler sees it: the envelope's header, the delivery's context, and its data on demand.
package struct ReceivedEvent: Sendable {
    /// The event id (the idempotency key).
    package let id: UUID
    /// The event type, e.g. `booking.created`.
    package let type: String
    /// When the change happened.
    package let occurredAt: Date
    /// The schema version of the data.
    package let version: Int
    /// The `x-request-id` of the HTTP request that caused the event, for logs.
    package let requestID: String?
    /// Which attempt this is: 1 for the first delivery, then 2, 3… through the retry queues.
    package let attempt: Int
    /// True when the broker delivered this message before (a consumer died or lost its connection).
    package let redelivered: Bool
    /// The envelope JSON.
    let body: [UInt8]

    /// Reads the envelope's header from a delivery; throws when the body is not an envelope.
    init(delivery: AMQPDelivery) throws {
        let header = try EventCoding.decoder.decode(Header.self, from: Data(delivery.body))
        id = header.id
        type = header.type
        occurredAt = header.occurredAt
        version = header.version
        requestID = delivery.headers["x-request-id"]?.stringValue
        attempt = Self.attempt(of: delivery)
        redelivered = delivery.redelivered
        body = delivery.body
    }

    /// Decodes the envelope's `data` as `Data`.
    package func decode<Payload: Decodable>(_ type: Payload.Type) throws -> Payload {
        try EventCoding.decoder.decode(DataField<Payload>.self, from: Foundation.Data(body)).data
    }

    /// The `x-attempt` header, or 1.
    static func attempt(of delivery: AMQPDelivery) -> Int {
        max(1, Int(delivery.headers["x-attempt"]?.intValue ?? 1))
    }

    private struct Header: Decodable {
        let id: UUID
        let type: String
        let occurredAt: Date
        let version: Int

        enum CodingKeys: String, CodingKey {
            case id, type, version
            case occurredAt = "occurred_at"
        }
    }

    private struct DataField<Payload: Decodable>: Decodable {
        let data: Payload
    }
}
