import Foundation
import Logging
import Metrics
import Redis
import ScheduleStore
import SchedulingCore

/// The Redis cache of computed slots.
///
/// Entries are `availability:slots:{host}:{generation}:{meeting_type}:{date}:{zone}` with a
/// 5-minute TTL; `availability:generation:{host}` is part of every key, so one `INCR` of it
/// orphans all of a host's entries at once (no `KEYS`/`SCAN`). The booking service INCRs it after
/// each booking commit too. Every Redis failure is counted, logged and answered as "no cache":
/// availability never fails because of the cache.
struct SlotCache: Sendable {
    let redis: RedisClient
    /// Seconds an entry lives.
    let timeToLive: Int
    private let failures: Counter

    /// Writes several entries with their TTL in one round trip.
    private static let storeMany = RedisScript("""
        local ttl = ARGV[1]
        for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[i + 1], 'EX', ttl) end
        return #KEYS
        """)

    /// Reads the host's generation and that generation's entries in one round trip. The entry keys
    /// are built in the script (`ARGV[1]` .. generation .. `ARGV[i]`), which a single Redis allows.
    private static let readGeneration = RedisScript("""
        local generation = redis.call('GET', KEYS[1]) or '0'
        local keys = {}
        for i = 2, #ARGV do keys[#keys + 1] = ARGV[1] .. generation .. ARGV[i] end
        return {generation, redis.call('MGET', unpack(keys))}
        """)

    init(redis: RedisClient, timeToLive: Int = 300) {
        self.redis = redis
        self.timeToLive = timeToLive
        failures = Counter(label: "calendly_availability_cache_errors_total")
    }

    /// The key of one date's entry; `zone` is the invitee zone's name (or a token for "the host's").
    static func entryKey(host: UUID, generation: Int, meetingType: UUID, date: LocalDate, zone: String) -> String {
        "availability:slots:" + host.uuidString.lowercased() + ":" + String(generation) + ":"
            + meetingType.uuidString.lowercased() + ":" + date.description + ":" + zone
    }

    /// `host`'s current generation and its entries for `dates` of `meetingType` in `zone`, or `nil`
    /// when Redis does not answer.
    func generationAndEntries(
        host: UUID, meetingType: UUID, dates: [LocalDate], zone: String, logger: Logger
    ) async -> (generation: Int, entries: [CachedDaySlots?])? {
        let prefix = "availability:slots:" + host.uuidString.lowercased() + ":"
        let type = meetingType.uuidString.lowercased()
        let suffixes = dates.map { ":" + type + ":" + $0.description + ":" + zone }
        do {
            let reply = try await redis.evalsha(Self.readGeneration, keys: [SlotCacheKeys.generation(host: host)], arguments: [prefix] + suffixes)
            guard let parts = reply.array, parts.count == 2, let generation = parts[0].integer, let values = parts[1].array,
                  values.count == dates.count
            else {
                failed("read entries", RedisError.unexpectedReply("generation script: \(reply)"), logger: logger)
                return nil
            }
            return (Int(generation), values.map { $0.bytes.flatMap(CachedDaySlots.init(encoded:)) })
        } catch {
            failed("read entries", error, logger: logger)
            return nil
        }
    }

    /// `host`'s current generation (0 before the first change), or `nil` when Redis does not answer.
    func generation(host: UUID, logger: Logger) async -> Int? {
        do {
            guard let text = try await redis.getString(SlotCacheKeys.generation(host: host)) else { return 0 }
            return Int(text) ?? 0
        } catch {
            failed("read generation", error, logger: logger)
            return nil
        }
    }

    /// Stores `entries` with the TTL; a failure only costs a later recomputation.
    func store(_ entries: [(key: String, value: CachedDaySlots)], logger: Logger) async {
        guard !entries.isEmpty else { return }
        do {
            if entries.count == 1 {
                try await redis.set(entries[0].key, entries[0].value.encoded, expiration: .seconds(timeToLive))
            } else {
                try await redis.evalsha(
                    Self.storeMany, keys: entries.map(\.key), arguments: [String(timeToLive)] + entries.map(\.value.encoded)
                )
            }
        } catch {
            failed("store entries", error, logger: logger)
        }
    }

    /// Orphans every cached entry of `host` (one `INCR`); throws when Redis does not answer.
    func bumpGeneration(host: UUID) async throws {
        try await redis.incr(SlotCacheKeys.generation(host: host))
    }

    /// Orphans every cached entry of `host`; a failure is counted and logged, not thrown.
    func invalidate(host: UUID, logger: Logger) async {
        do {
            try await bumpGeneration(host: host)
        } catch {
            // Entries then live out their TTL: at most five minutes of stale answers while Redis is
            // down, and the booking service re-checks every slot in its transaction anyway.
            failed("bump generation", error, logger: logger)
        }
    }

    private func failed(_ operation: String, _ error: any Error, logger: Logger) {
        failures.increment()
        logger.warning("availability cache unavailable", metadata: [
            "cache.operation": .string(operation), "error": .string(String(describing: error)),
        ])
    }
}
