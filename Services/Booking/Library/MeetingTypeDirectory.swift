import Foundation
import Postgres
import ScheduleStore

/// Which host a meeting type belongs to, read before the lock (the lock is per host).
///
/// A meeting type never changes host, so the answer is kept in memory for a minute: the booking
/// path skips a round trip for every type seen recently. Whether the type is still active and
/// what its duration is are read again, exactly, inside the booking's transaction; the cached
/// `isActive` only lets obvious garbage (unknown or inactive types) be refused before any lock.
final class MeetingTypeDirectory: @unchecked Sendable {
    struct Entry: Sendable {
        var hostID: UUID
        var durationMinutes: Int
        var isActive: Bool
        var expires: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration = .seconds(60), capacity: Int = 50_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The host and duration of an existing type (active or not), or nil when it does not exist.
    func lookup(_ id: UUID, schedules: ScheduleRepository, database: PostgresClient) async throws -> Entry? {
        let now = ContinuousClock.now
        if let cached = cached(id, now: now) { return cached }
        let found = try await database.withConnection { try await schedules.meetingType(id: id, in: $0) }
        guard let (type, host) = found else { return nil }
        let entry = Entry(hostID: host.id, durationMinutes: type.durationMinutes, isActive: type.isActive, expires: now + lifetime)
        store(id, entry)
        return entry
    }

    /// Forgets a type the transaction found inactive or gone (the next request reads it again).
    func forget(_ id: UUID) {
        lock.lock()
        entries[id] = nil
        lock.unlock()
    }

    private func cached(_ id: UUID, now: ContinuousClock.Instant) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[id], entry.expires > now else { return nil }
        return entry
    }

    private func store(_ id: UUID, _ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[id] = entry
    }
}
