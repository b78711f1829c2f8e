import Foundation
import Postgres

/// Writes events into the `outbox` table inside the caller's transaction (same commit as the change).
///
/// Nothing is published here: the ``OutboxRelay`` of a producing service publishes committed rows.
/// A rolled-back transaction takes its events with it; a committed one is published at least once.
package enum Outbox {
    /// The `LISTEN`/`NOTIFY` channel the `outbox` insert trigger notifies.
    package static let notificationChannel = "outbox"

    /// Writes the event into `outbox` inside the caller's transaction (same commit as the change).
    ///
    /// Returns the event id. `requestID` becomes the `x-request-id` AMQP header.
    @discardableResult
    package static func enqueue<Event: DomainEvent>(
        _ event: Event,
        requestID: String?,
        occurredAt: Date = Date(),
        in session: PostgresSession
    ) async throws -> UUID {
        try await enqueue(type: Event.type, version: Event.version, data: event, requestID: requestID, occurredAt: occurredAt, in: session)
    }

    /// An outbox row not written yet: for callers that insert it in the same statement as their
    /// change (a data-modifying CTE), saving a round trip.
    package struct Row: Sendable {
        package let id: UUID
        package let type: String
        package let version: Int
        /// The envelope JSON.
        package let body: String
        package let requestID: String?
    }

    /// The row ``enqueue(_:requestID:occurredAt:in:)`` would write.
    package static func row<Event: DomainEvent>(_ event: Event, requestID: String?, occurredAt: Date = Date()) throws -> Row {
        try row(type: Event.type, version: Event.version, data: event, id: UUID(), requestID: requestID, occurredAt: occurredAt)
    }

    /// The row of an event given by its type name and version; its body is the envelope JSON.
    static func row<Data: Codable & Sendable>(
        type: String, version: Int, data: Data, id: UUID, requestID: String?, occurredAt: Date
    ) throws -> Row {
        let envelope = EventEnvelope(id: id, type: type, occurredAt: occurredAt, version: version, data: data)
        let body = String(decoding: try EventCoding.encoder.encode(envelope), as: UTF8.self)
        return Row(id: id, type: type, version: version, body: body, requestID: requestID)
    }

    /// Writes an event given by its type name and version (for types not known at compile time).
    @discardableResult
    package static func enqueue<Data: Codable & Sendable>(
        type: String,
        version: Int,
        data: Data,
        id: UUID = UUID(),
        requestID: String?,
        occurredAt: Date = Date(),
        in session: PostgresSession
    ) async throws -> UUID {
        let row = try row(type: type, version: version, data: data, id: id, requestID: requestID, occurredAt: occurredAt)
        try await session.query("""
            INSERT INTO outbox (id, type, version, body, request_id)
            VALUES (\(row.id), \(row.type), \(row.version), \(row.body), \(row.requestID))
            """)
        return id
    }
}
