import Foundation
import Postgres
import SchedulingCore

/// Reads a host's schedule and busy time for the engine: the one query path the availability
/// service (listing slots) and the booking service (re-checking a slot in its transaction) share,
/// so the two always feed the engine the same facts.
package struct ScheduleRepository: Sendable {
    package init() {}

    /// How far beyond the span the engine looks: grid origins up to four host days back, buffers
    /// (at most 4 h) and the host-local day of the daily cap on either side.
    static let marginDays = 5

    /// A meeting type that exists (active or not) with its host, or `nil`.
    package func meetingType(id: UUID, in session: PostgresSession) async throws -> (MeetingType, SchedulingHost)? {
        let rows = try await session.query("""
            SELECT \(unescaped: Self.meetingTypeColumns)
            FROM meeting_types mt JOIN users u ON u.id = mt.user_id
            WHERE mt.id = \(id) AND mt.deleted_at IS NULL
            """)
        return try rows.first.map(Self.meetingTypeAndHost)
    }

    /// The engine's inputs for meeting type `id` around `span`, or `nil` when the type does not exist.
    ///
    /// One statement (one round trip, one snapshot): the meeting type and its host, with the rules
    /// and overrides near the span aggregated as JSON, and the confirmed bookings and external busy
    /// time as compact text (see `BusyTimeText`).
    package func inputs(meetingTypeID id: UUID, around span: Range<Date>, in session: PostgresSession) async throws -> SchedulingInputs? {
        let margin = TimeInterval(Self.marginDays * 86_400)
        let from = span.lowerBound.addingTimeInterval(-margin)
        let to = span.upperBound.addingTimeInterval(margin)
        // Override dates are compared as `date` values: a day either side covers every zone offset.
        let rows = try await session.query("""
            SELECT \(unescaped: Self.meetingTypeColumns),
                (SELECT coalesce(json_agg(json_build_object('day', r.day_of_week, 'start', r.start_time, 'end', r.end_time)), '[]')
                 FROM availability_rules r WHERE r.user_id = mt.user_id) AS rules,
                (SELECT coalesce(json_agg(json_build_object('date', o.date, 'intervals', o.intervals)), '[]')
                 FROM date_overrides o
                 WHERE o.user_id = mt.user_id
                   AND o.date BETWEEN (\(from)::timestamptz AT TIME ZONE 'UTC')::date - 1 AND (\(to)::timestamptz AT TIME ZONE 'UTC')::date + 1
                ) AS overrides,
                (SELECT coalesce(string_agg(concat_ws(',', b.id, b.meeting_type_id, floor(extract(epoch FROM b.start_time))::bigint,
                            ceil(extract(epoch FROM b.end_time))::bigint, b.buffer_before_minutes, b.buffer_after_minutes), ';'), '')
                 FROM bookings b
                 WHERE b.host_user_id = mt.user_id AND b.status = 'confirmed' AND b.start_time < \(to) AND b.end_time > \(from)
                ) AS bookings,
                (SELECT coalesce(string_agg(concat_ws(',', floor(extract(epoch FROM x.start_time))::bigint,
                            ceil(extract(epoch FROM x.end_time))::bigint), ';'), '')
                 FROM external_busy_intervals x
                 WHERE x.host_user_id = mt.user_id AND x.start_time < \(to) AND x.end_time > \(from)
                ) AS busy
            FROM meeting_types mt JOIN users u ON u.id = mt.user_id
            WHERE mt.id = \(id) AND mt.deleted_at IS NULL
            """)
        guard let row = rows.first else { return nil }
        let (type, host) = try Self.meetingTypeAndHost(row)
        let decoder = JSONDecoder()

        let rules = try row.decode("rules", as: PostgresJSON.self).decode([RuleRow].self, decoder: decoder).compactMap { rule -> WeeklyRule? in
            guard let window = try Self.window(start: rule.start, end: rule.end) else { return nil }
            return WeeklyRule(dayOfWeek: rule.day, startTime: window.startTime, endTime: window.endTime)
        }
        let overrides = try row.decode("overrides", as: PostgresJSON.self).decode([OverrideRow].self, decoder: decoder).compactMap { override in
            LocalDate(override.date).map { DateOverride(date: $0, intervals: override.intervals) }
        }
        let bookings = try BusyTimeText.bookings(try row.decode("bookings", as: String.self))
        let busy = try BusyTimeText.intervals(try row.decode("busy", as: String.self))
        return SchedulingInputs(
            host: host, meetingType: type, weeklyRules: rules, overrides: overrides, bookings: bookings, externalBusy: busy
        )
    }

    private static let meetingTypeColumns = """
        mt.id, mt.user_id, mt.duration_minutes, mt.buffer_before_minutes, mt.buffer_after_minutes,
        mt.slot_interval_minutes, mt.max_bookings_per_day, mt.min_notice_minutes, mt.max_days_in_future,
        mt.is_active, u.time_zone
        """

    private static func meetingTypeAndHost(_ row: PostgresRow) throws -> (MeetingType, SchedulingHost) {
        let zoneName = try row.decode("time_zone", as: String.self)
        guard let zone = NamedTimeZone(stored: zoneName) else {
            throw PostgresError(kind: .decoding, message: "unknown time zone \(zoneName)")
        }
        let hostID = try row.decode("user_id", as: UUID.self)
        let type = MeetingType(
            id: try row.decode("id", as: UUID.self),
            userID: hostID,
            durationMinutes: try row.decode("duration_minutes", as: Int.self),
            bufferBeforeMinutes: try row.decode("buffer_before_minutes", as: Int.self),
            bufferAfterMinutes: try row.decode("buffer_after_minutes", as: Int.self),
            slotIntervalMinutes: try row.decode("slot_interval_minutes", as: Int.self),
            maxBookingsPerDay: try row.decode("max_bookings_per_day", as: Int?.self),
            minNoticeMinutes: try row.decode("min_notice_minutes", as: Int.self),
            maxDaysInFuture: try row.decode("max_days_in_future", as: Int.self),
            isActive: try row.decode("is_active", as: Bool.self)
        )
        return (type, SchedulingHost(id: hostID, zone: zone))
    }

    /// The JSON shapes the aggregates above build.
    private struct RuleRow: Decodable {
        let day: Int
        let start: String
        let end: String
    }

    private struct OverrideRow: Decodable {
        let date: String
        let intervals: [WallClockWindow]
    }

    private static func window(start: String, end: String) throws -> WallClockWindow? {
        let open = try PostgresTime(postgresText: start).secondsSinceMidnight / 60
        var close = try PostgresTime(postgresText: end).secondsSinceMidnight / 60
        // PostgreSQL stores 24:00 as itself; 00:00 as an end would be a reversed window.
        if close == 0 { close = 24 * 60 }
        guard let startTime = WallClockTime(minuteOfDay: open), let endTime = WallClockTime(minuteOfDay: close) else { return nil }
        return WallClockWindow(startTime: startTime, endTime: endTime)
    }
}
