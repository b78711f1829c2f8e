import Foundation
import Logging
import Redis

/// Layer 2: a Redis lock per host that keeps one host's contention out of PostgreSQL.
///
/// An optimisation only: a request waits a bounded time for it and then goes on without it, and
/// when Redis does not answer the layer is skipped. Correctness rests on layers 3–5.
struct HostLock: Sendable {
    let redis: RedisClient
    let metrics: BookingMetrics
    let logger: Logger
    /// How long Redis keeps a lock whose owner died.
    var ttlMilliseconds = 5000
    /// How long a request waits before going on without the lock.
    var maximumWait = Duration.milliseconds(1500)

    static func key(for host: UUID) -> String { "booking_lock:\(host.uuidString.lowercased())" }

    /// The lock's token, or `nil` when the request goes on without it.
    func acquire(host: UUID) async -> String? {
        do {
            let token = try await redis.acquireLock(Self.key(for: host), ttl: ttlMilliseconds, waitingUpTo: maximumWait, retryInterval: .milliseconds(5))
            metrics.lockWait(acquired: token != nil)
            return token
        } catch {
            metrics.redisSkipped("lock")
            logger.warning("booking lock skipped: redis unavailable", metadata: ["host.id": "\(host.uuidString.lowercased())", "error": "\(error)"])
            return nil
        }
    }

    /// Compare-and-delete of the lock (when `ARGV[1]` is a token), then `INCR` of the generation key.
    static let releaseAndIncrementScript = RedisScript("""
        if ARGV[1] ~= '' and redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
        return redis.call('incr', KEYS[2])
        """)

    /// After a commit: releases the lock (if this request owns it) and bumps the host's
    /// availability generation, in one round trip. Best effort: the lock expires by itself, and
    /// the availability service also bumps the generation when the booking event reaches it.
    func releaseAndInvalidate(host: UUID, token: String?, generationKey: String) async {
        do {
            _ = try await redis.evalsha(Self.releaseAndIncrementScript, keys: [Self.key(for: host), generationKey], arguments: [token ?? ""])
        } catch {
            metrics.redisSkipped("cache_invalidation")
            logger.warning("lock release and slot cache invalidation skipped: redis unavailable", metadata: ["host.id": "\(host.uuidString.lowercased())", "error": "\(error)"])
        }
    }

    /// Releases the lock if this request still owns it (compare-and-delete).
    func release(host: UUID, token: String?) async {
        guard let token else { return }
        do {
            try await redis.releaseLock(Self.key(for: host), token: token)
        } catch {
            // The lock expires by itself after its TTL.
            logger.warning("booking lock release failed", metadata: ["host.id": "\(host.uuidString.lowercased())", "error": "\(error)"])
        }
    }
}
