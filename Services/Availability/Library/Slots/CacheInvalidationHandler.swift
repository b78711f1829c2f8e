import Events
import Foundation
import Logging
import Postgres

/// Consumes `booking.*`, `calendar.synced` and `availability.changed` from `availability.events`
/// and orphans the named host's cached slots (one `INCR` of its generation).
///
/// The booking service already bumps the generation right after its commit and this service after
/// its own changes; the events make the invalidation reliable when that bump was lost (Redis down,
/// a crash between commit and bump) and cover the integration service, which does not bump.
struct CacheInvalidationHandler: Sendable {
    /// The queue and what it is bound to.
    static let queue = "availability.events"
    static let bindings = ["booking.*", CalendarSynced.type, AvailabilityChanged.type]

    let cache: SlotCache
    let logger: Logger

    /// The host a booking event is about, whichever of the three it is.
    private struct BookingEventData: Decodable {
        struct Snapshot: Decodable {
            let hostUserID: UUID
            enum CodingKeys: String, CodingKey { case hostUserID = "host_user_id" }
        }
        let booking: Snapshot
    }

    /// Applies one event; throws (so the consumer retries it later) when Redis does not answer.
    func handle(_ event: ReceivedEvent, _ session: PostgresSession) async throws {
        let host: UUID
        switch event.type {
        case CalendarSynced.type:
            let synced = try event.decode(CalendarSynced.self)
            guard synced.changed else { return }
            host = synced.hostUserID
        case AvailabilityChanged.type:
            host = try event.decode(AvailabilityChanged.self).hostUserID
        case let type where type.hasPrefix("booking."):
            host = try event.decode(BookingEventData.self).booking.hostUserID
        default:
            logger.debug("event ignored", metadata: ["event.type": .string(event.type)])
            return
        }
        try await cache.bumpGeneration(host: host)
        logger.debug("cached slots invalidated", metadata: [
            "event.type": .string(event.type), "host.id": .string(host.uuidString.lowercased()),
        ])
    }
}
