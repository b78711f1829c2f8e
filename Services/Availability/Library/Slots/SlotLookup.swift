import Foundation
import Logging
import Metrics
import ScheduleStore
import SchedulingCore
import ServiceRuntime

/// Lists a meeting type's offered slots for a range of invitee dates: from the cache when every
/// date is there, otherwise from the engine over the schedule and busy time read from the database
/// (the read pool), caching each computed date.
///
/// Cached dates are computed with `now: nil` and filtered here by the current time (minimum
/// notice, booking window), so a cached answer never offers a start the booking service refuses.
/// The host's generation is read *before* the database, so an answer computed from data that a
/// concurrent change made stale is stored under the old generation, where nobody reads it.
struct SlotLookup: Sendable {
    /// What to list.
    struct Query: Sendable {
        var meetingTypeID: UUID
        var firstDate: LocalDate
        var lastDate: LocalDate
        /// The invitee's zone; `nil` means the host's.
        var zoneName: String?
    }

    /// What was found: each date of the query with its slots, in `zoneName`.
    struct Answer: Sendable {
        var zoneName: String
        var days: [DaySlots]
        /// Whether every date came from the cache.
        var fromCache: Bool
    }

    /// The cache key's zone when the invitee gives none: the host's zone at the cached generation.
    static let hostZoneToken = "~host"

    let database: Database
    let schedules: ScheduleRepository
    let cache: SlotCache
    let hosts: MeetingTypeHosts
    let now: @Sendable () -> Date
    private let hits: Counter
    private let misses: Counter
    private let duration: Metrics.Timer

    init(database: Database, schedules: ScheduleRepository, cache: SlotCache, hosts: MeetingTypeHosts, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.schedules = schedules
        self.cache = cache
        self.hosts = hosts
        self.now = now
        hits = Counter(label: "calendly_availability_checks_total", dimensions: [("cache_hit", "true")])
        misses = Counter(label: "calendly_availability_checks_total", dimensions: [("cache_hit", "false")])
        duration = Metrics.Timer(label: "calendly_availability_calculation_duration_seconds")
    }

    /// The slots of `query`, or `nil` when the meeting type does not exist, is deleted or inactive.
    func slots(for query: Query, logger: Logger) async throws -> Answer? {
        let started = DispatchTime.now().uptimeNanoseconds
        let answer = try await lookUp(query, logger: logger)
        if let answer {
            (answer.fromCache ? hits : misses).increment()
            duration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
        }
        return answer
    }

    private func lookUp(_ query: Query, logger: Logger) async throws -> Answer? {
        let now = now()
        let dates = Array(query.firstDate...query.lastDate)
        let zoneToken = query.zoneName ?? Self.hostZoneToken
        var host = hosts.host(of: query.meetingTypeID)
        var generation: Int?

        if let host {
            let read = await cache.generationAndEntries(
                host: host, meetingType: query.meetingTypeID, dates: dates, zone: zoneToken, logger: logger
            )
            generation = read?.generation
            let cached = read?.entries ?? []
            if let first = cached.first ?? nil, cached.allSatisfy({ $0?.zoneName == first.zoneName }) {
                let rules = MeetingType(
                    id: query.meetingTypeID, userID: host, durationMinutes: 1,
                    minNoticeMinutes: first.minNoticeMinutes, maxDaysInFuture: first.maxDaysInFuture
                )
                let days = zip(dates, cached).map { date, entry in
                    DaySlots(date: date, slots: (entry?.slots ?? []).filter { rules.admitsStart($0.start, now: now) })
                }
                return Answer(zoneName: first.zoneName, days: days, fromCache: true)
            }
        }

        let computed = try await database.reads.withConnection { session -> (Answer, [(key: String, value: CachedDaySlots)])? in
            if host == nil {
                guard let (_, owner) = try await schedules.meetingType(id: query.meetingTypeID, in: session) else { return nil }
                hosts.remember(query.meetingTypeID, host: owner.id)
                host = owner.id
                generation = await cache.generation(host: owner.id, logger: logger)
            }
            // Only dates near the bookable future need the schedule: no meeting type books more than
            // 365 days ahead, and every instant of an invitee date lies within about a day of its UTC date.
            let today = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
            // A partial hit is recomputed whole: simpler than merging, and the engine's cost is the same.
            let candidates = dates.filter { (today - 2...today + 368).contains($0.daysSinceEpoch) }
            guard let firstCandidate = candidates.first, let lastCandidate = candidates.last else {
                guard let (type, owner) = try await schedules.meetingType(id: query.meetingTypeID, in: session), type.isActive else { return nil }
                let zoneName = query.zoneName ?? owner.timeZoneName
                return (Answer(zoneName: zoneName, days: dates.map { DaySlots(date: $0, slots: []) }, fromCache: false), [])
            }
            let span = Date(timeIntervalSince1970: Double((firstCandidate.daysSinceEpoch - 2) * 86_400))
                ..< Date(timeIntervalSince1970: Double((lastCandidate.daysSinceEpoch + 3) * 86_400))
            guard let inputs = try await schedules.inputs(meetingTypeID: query.meetingTypeID, around: span, in: session),
                  inputs.meetingType.isActive
            else { return nil }
            let type = inputs.meetingType
            let zoneName = query.zoneName ?? inputs.host.timeZoneName
            let zone = NamedTimeZone(zoneName)?.timeZone ?? inputs.host.timeZone

            // Dates wholly outside [now + notice, now + window) need no computing (and are not cached:
            // a date beyond the window today enters it tomorrow).
            let earliest = now.timeIntervalSince1970 + Double(type.minNoticeMinutes) * 60
            let latest = now.timeIntervalSince1970 + Double(type.maxDaysInFuture) * 86_400
            func isBookable(_ date: LocalDate) -> Bool {
                Double((date.daysSinceEpoch + 1) * 86_400 + 93_600) > earliest && Double(date.daysSinceEpoch * 86_400 - 93_600) < latest
            }
            var slotsByDate: [LocalDate: [Slot]] = [:]
            var computed: [(key: String, value: CachedDaySlots)] = []
            let pending = candidates.filter(isBookable)
            if let first = pending.first, let last = pending.last {
                let generator = inputs.generator()
                for day in generator.slots(from: first, through: last, in: zone, now: nil) where pending.contains(day.date) {
                    slotsByDate[day.date] = day.slots
                    if let generation, let host {
                        let entry = CachedDaySlots(
                            zoneName: zoneName, minNoticeMinutes: type.minNoticeMinutes, maxDaysInFuture: type.maxDaysInFuture, slots: day.slots
                        )
                        computed.append((SlotCache.entryKey(host: host, generation: generation, meetingType: type.id, date: day.date, zone: zoneToken), entry))
                    }
                }
            }
            let days = dates.map { date in
                DaySlots(date: date, slots: (slotsByDate[date] ?? []).filter { type.admitsStart($0.start, now: now) })
            }
            return (Answer(zoneName: zoneName, days: days, fromCache: false), computed)
        }
        guard let (answer, entries) = computed else { return nil }
        await cache.store(entries, logger: logger)
        return answer
    }
}
