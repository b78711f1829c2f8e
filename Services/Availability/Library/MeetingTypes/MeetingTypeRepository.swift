import Foundation
import Postgres

/// The `meeting_types` table. Deleted types (`deleted_at`) are invisible to every method.
struct MeetingTypeRepository: Sendable {
    /// The slug is already used by another of the host's meeting types.
    struct DuplicateSlug: Error {}

    private static let columns = """
        id, user_id, name, slug, description, color, duration_minutes, buffer_before_minutes, buffer_after_minutes,
        slot_interval_minutes, max_bookings_per_day, min_notice_minutes, max_days_in_future, is_active, created_at, updated_at
        """

    /// Inserts a meeting type of `host`.
    func insert(id: UUID, host: UUID, _ fields: MeetingTypeFields, in session: PostgresSession) async throws -> MeetingTypeResource {
        try await uniqueSlug {
            let rows = try await session.query("""
                INSERT INTO meeting_types (id, user_id, name, slug, description, color, duration_minutes, buffer_before_minutes,
                    buffer_after_minutes, slot_interval_minutes, max_bookings_per_day, min_notice_minutes, max_days_in_future, is_active)
                VALUES (\(id), \(host), \(fields.name), \(fields.slug), \(fields.description), \(fields.color), \(fields.durationMinutes),
                    \(fields.bufferBeforeMinutes), \(fields.bufferAfterMinutes), \(fields.slotIntervalMinutes), \(fields.maxBookingsPerDay),
                    \(fields.minNoticeMinutes), \(fields.maxDaysInFuture), \(fields.isActive))
                RETURNING \(unescaped: Self.columns)
                """)
            return try Self.resource(rows[0])
        }
    }

    /// Meeting type `id` if `host` owns it; `lock` holds its row until the transaction ends.
    func find(id: UUID, host: UUID, lock: Bool = false, in session: PostgresSession) async throws -> MeetingTypeResource? {
        let rows = try await session.query("""
            SELECT \(unescaped: Self.columns) FROM meeting_types
            WHERE id = \(id) AND user_id = \(host) AND deleted_at IS NULL \(unescaped: lock ? "FOR UPDATE" : "")
            """)
        return try rows.first.map(Self.resource)
    }

    /// `host`'s meeting types in creation order, `limit` of them after the type `cursor`.
    func list(host: UUID, after cursor: UUID?, limit: Int, in session: PostgresSession) async throws -> [MeetingTypeResource] {
        let rows = try await session.query("""
            SELECT \(unescaped: Self.columns) FROM meeting_types
            WHERE user_id = \(host) AND deleted_at IS NULL
              AND (\(cursor)::uuid IS NULL OR (created_at, id) > (SELECT created_at, id FROM meeting_types WHERE id = \(cursor)))
            ORDER BY created_at, id
            LIMIT \(limit)
            """)
        return try rows.map(Self.resource)
    }

    /// Replaces every field of meeting type `id` of `host`.
    func update(id: UUID, host: UUID, _ fields: MeetingTypeFields, in session: PostgresSession) async throws -> MeetingTypeResource? {
        try await uniqueSlug {
            let rows = try await session.query("""
                UPDATE meeting_types SET name = \(fields.name), slug = \(fields.slug), description = \(fields.description),
                    color = \(fields.color), duration_minutes = \(fields.durationMinutes),
                    buffer_before_minutes = \(fields.bufferBeforeMinutes), buffer_after_minutes = \(fields.bufferAfterMinutes),
                    slot_interval_minutes = \(fields.slotIntervalMinutes), max_bookings_per_day = \(fields.maxBookingsPerDay),
                    min_notice_minutes = \(fields.minNoticeMinutes), max_days_in_future = \(fields.maxDaysInFuture),
                    is_active = \(fields.isActive), updated_at = now()
                WHERE id = \(id) AND user_id = \(host) AND deleted_at IS NULL
                RETURNING \(unescaped: Self.columns)
                """)
            return try rows.first.map(Self.resource)
        }
    }

    /// Marks meeting type `id` of `host` deleted (bookings keep referring to it); whether it existed.
    func softDelete(id: UUID, host: UUID, in session: PostgresSession) async throws -> Bool {
        let rows = try await session.query("""
            UPDATE meeting_types SET deleted_at = now(), updated_at = now()
            WHERE id = \(id) AND user_id = \(host) AND deleted_at IS NULL
            """)
        return rows.affectedRows > 0
    }

    /// The public view of an active meeting type `id`.
    func publicType(id: UUID, in session: PostgresSession) async throws -> PublicMeetingType? {
        let rows = try await session.query("""
            SELECT mt.id, mt.name, mt.slug, mt.description, mt.color, mt.duration_minutes, mt.slot_interval_minutes,
                   mt.min_notice_minutes, mt.max_days_in_future, u.name AS host_name, u.slug AS host_slug, u.time_zone
            FROM meeting_types mt JOIN users u ON u.id = mt.user_id
            WHERE mt.id = \(id) AND mt.deleted_at IS NULL AND mt.is_active
            """)
        return try rows.first.map(Self.publicType)
    }

    /// The public view of the active meeting type `typeSlug` of the host `userSlug` (a booking link).
    func publicType(userSlug: String, typeSlug: String, in session: PostgresSession) async throws -> PublicMeetingType? {
        let rows = try await session.query("""
            SELECT mt.id, mt.name, mt.slug, mt.description, mt.color, mt.duration_minutes, mt.slot_interval_minutes,
                   mt.min_notice_minutes, mt.max_days_in_future, u.name AS host_name, u.slug AS host_slug, u.time_zone
            FROM meeting_types mt JOIN users u ON u.id = mt.user_id
            WHERE u.slug = \(userSlug) AND mt.slug = \(typeSlug) AND mt.deleted_at IS NULL AND mt.is_active
            """)
        return try rows.first.map(Self.publicType)
    }

    /// The host `userSlug`'s active meeting types, in creation order, or `nil` when no host has the slug.
    func publicTypes(userSlug: String, in session: PostgresSession) async throws -> PublicHostPage? {
        let hosts = try await session.query("SELECT name, slug, time_zone FROM users WHERE slug = \(userSlug)")
        guard let host = hosts.first else { return nil }
        let rows = try await session.query("""
            SELECT mt.id, mt.name, mt.slug, mt.description, mt.color, mt.duration_minutes, mt.slot_interval_minutes,
                   mt.min_notice_minutes, mt.max_days_in_future, u.name AS host_name, u.slug AS host_slug, u.time_zone
            FROM meeting_types mt JOIN users u ON u.id = mt.user_id
            WHERE u.slug = \(userSlug) AND mt.deleted_at IS NULL AND mt.is_active
            ORDER BY mt.created_at, mt.id
            LIMIT 100
            """)
        return PublicHostPage(
            host: .init(name: try host.decode("name", as: String.self), slug: try host.decode("slug", as: String.self),
                        timeZone: try host.decode("time_zone", as: String.self)),
            meetingTypes: try rows.map(Self.publicType)
        )
    }

    private func uniqueSlug<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.kind == .uniqueViolation && error.constraint == "meeting_types_user_slug_key" {
            throw DuplicateSlug()
        }
    }

    private static func resource(_ row: PostgresRow) throws -> MeetingTypeResource {
        MeetingTypeResource(
            id: try row.decode("id", as: UUID.self),
            userID: try row.decode("user_id", as: UUID.self),
            fields: MeetingTypeFields(
                name: try row.decode("name", as: String.self),
                slug: try row.decode("slug", as: String.self),
                description: try row.decode("description", as: String?.self),
                color: try row.decode("color", as: String?.self),
                durationMinutes: try row.decode("duration_minutes", as: Int.self),
                bufferBeforeMinutes: try row.decode("buffer_before_minutes", as: Int.self),
                bufferAfterMinutes: try row.decode("buffer_after_minutes", as: Int.self),
                slotIntervalMinutes: try row.decode("slot_interval_minutes", as: Int.self),
                maxBookingsPerDay: try row.decode("max_bookings_per_day", as: Int?.self),
                minNoticeMinutes: try row.decode("min_notice_minutes", as: Int.self),
                maxDaysInFuture: try row.decode("max_days_in_future", as: Int.self),
                isActive: try row.decode("is_active", as: Bool.self)
            ),
            createdAt: try row.decode("created_at", as: Date.self),
            updatedAt: try row.decode("updated_at", as: Date.self)
        )
    }

    private static func publicType(_ row: PostgresRow) throws -> PublicMeetingType {
        PublicMeetingType(
            id: try row.decode("id", as: UUID.self),
            name: try row.decode("name", as: String.self),
            slug: try row.decode("slug", as: String.self),
            description: try row.decode("description", as: String?.self),
            color: try row.decode("color", as: String?.self),
            durationMinutes: try row.decode("duration_minutes", as: Int.self),
            slotIntervalMinutes: try row.decode("slot_interval_minutes", as: Int.self),
            minNoticeMinutes: try row.decode("min_notice_minutes", as: Int.self),
            maxDaysInFuture: try row.decode("max_days_in_future", as: Int.self),
            host: .init(
                name: try row.decode("host_name", as: String.self),
                slug: try row.decode("host_slug", as: String.self),
                timeZone: try row.decode("time_zone", as: String.self)
            )
        )
    }
}
