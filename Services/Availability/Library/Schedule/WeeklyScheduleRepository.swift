import Foundation
import Postgres
import SchedulingCore

/// The `availability_rules` and `date_overrides` tables: a host's weekly hours and dated exceptions.
struct WeeklyScheduleRepository: Sendable {
    /// Replaces every weekly rule of `host`.
    func replaceRules(host: UUID, with rules: [WeeklyRule], in session: PostgresSession) async throws {
        try await session.query("DELETE FROM availability_rules WHERE user_id = \(host)")
        guard !rules.isEmpty else { return }
        let days = rules.map { Int16($0.dayOfWeek) }
        let starts = rules.map { PostgresTime(secondsSinceMidnight: $0.startTime.minuteOfDay * 60) }
        let ends = rules.map { PostgresTime(secondsSinceMidnight: $0.endTime.minuteOfDay * 60) }
        try await session.query("""
            INSERT INTO availability_rules (user_id, day_of_week, start_time, end_time)
            SELECT \(host), d, s, e FROM unnest(\(days)::smallint[], \(starts)::time[], \(ends)::time[]) AS r (d, s, e)
            """)
    }

    /// `host`'s weekly rules, by day then start.
    func rules(host: UUID, in session: PostgresSession) async throws -> [WeeklyRule] {
        let rows = try await session.query("""
            SELECT day_of_week, start_time, end_time FROM availability_rules WHERE user_id = \(host)
            ORDER BY day_of_week, start_time
            """)
        return try rows.compactMap { row in
            guard let window = try Self.window(row) else { return nil }
            return WeeklyRule(dayOfWeek: try row.decode("day_of_week", as: Int.self), startTime: window.startTime, endTime: window.endTime)
        }
    }

    /// Sets `host`'s hours on `date` to exactly `intervals`.
    func setOverride(host: UUID, _ override: DateOverride, in session: PostgresSession) async throws {
        let intervals = try PostgresJSON(encoding: override.intervals.sorted { $0.startTime < $1.startTime })
        try await session.query("""
            INSERT INTO date_overrides (user_id, date, intervals) VALUES (\(host), \(Self.postgresDate(override.date)), \(intervals)::jsonb)
            ON CONFLICT (user_id, date) DO UPDATE SET intervals = EXCLUDED.intervals, updated_at = now()
            """)
    }

    /// Removes `host`'s override of `date`; whether there was one.
    func deleteOverride(host: UUID, date: LocalDate, in session: PostgresSession) async throws -> Bool {
        let rows = try await session.query("""
            DELETE FROM date_overrides WHERE user_id = \(host) AND date = \(Self.postgresDate(date))
            """)
        return rows.affectedRows > 0
    }

    /// `host`'s overrides from `first` through `last` (either open-ended when `nil`), by date, at most `limit`.
    func overrides(host: UUID, from first: LocalDate?, through last: LocalDate?, limit: Int, in session: PostgresSession) async throws -> [DateOverride] {
        let rows = try await session.query("""
            SELECT date, intervals FROM date_overrides
            WHERE user_id = \(host)
              AND (\(first.map(Self.postgresDate))::date IS NULL OR date >= \(first.map(Self.postgresDate)))
              AND (\(last.map(Self.postgresDate))::date IS NULL OR date <= \(last.map(Self.postgresDate)))
            ORDER BY date
            LIMIT \(limit)
            """)
        return try rows.compactMap { row in
            let day = try row.decode("date", as: PostgresDate.self)
            guard let date = LocalDate(year: day.year, month: day.month, day: day.day) else { return nil }
            let intervals = try row.decode("intervals", as: PostgresJSON.self).decode([WallClockWindow].self)
            return DateOverride(date: date, intervals: intervals)
        }
    }

    private static func postgresDate(_ date: LocalDate) -> PostgresDate {
        let (year, month, day) = date.components
        return PostgresDate(year: year, month: month, day: day)
    }

    private static func window(_ row: PostgresRow) throws -> WallClockWindow? {
        let open = try row.decode("start_time", as: PostgresTime.self).secondsSinceMidnight / 60
        var close = try row.decode("end_time", as: PostgresTime.self).secondsSinceMidnight / 60
        if close == 0 { close = 24 * 60 }
        guard let startTime = WallClockTime(minuteOfDay: open), let endTime = WallClockTime(minuteOfDay: close) else { return nil }
        return WallClockWindow(startTime: startTime, endTime: endTime)
    }
}
