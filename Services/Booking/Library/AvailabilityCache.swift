import Foundation
import Logging
import Redis
import ScheduleStore

/// Invalidates a host's cached slots: one `INCR` of its generation orphans every cached entry.
struct AvailabilityCache: Sendable {
    let redis: RedisClient
    let metrics: BookingMetrics
    let logger: Logger


    /// Best effort: the availability service also bumps it when the booking event reaches it.
    func invalidate(host: UUID) async {
        do {
            _ = try await redis.incr(SlotCacheKeys.generation(host: host))
        } catch {
            metrics.redisSkipped("cache_invalidation")
            logger.warning("slot cache invalidation skipped: redis unavailable", metadata: ["host.id": "\(host.uuidString.lowercased())"])
        }
    }
}
