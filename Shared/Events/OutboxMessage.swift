import Foundation
import Postgres

/// One claimed outbox row, as the relay publishes it.
struct OutboxMessage: Sendable {
    /// The row's place in the publishing order.
    let position: Int64
    /// The event id (the AMQP message id).
    let id: UUID
    /// The event type (the routing key).
    let type: String
    /// The envelope JSON.
    let body: [UInt8]
    /// The `x-request-id` header, if the change came from a request.
    let requestID: String?
    /// When the row was written.
    let createdAt: Date

    init(row: PostgresRow) throws {
        position = try row.decode("position", as: Int64.self)
        id = try row.decode("id", as: UUID.self)
        type = try row.decode("type", as: String.self)
        body = Array(try row.decode("body", as: String.self).utf8)
        requestID = try row.decode("request_id", as: String?.self)
        createdAt = try row.decode("created_at", as: Date.self)
    }
}
