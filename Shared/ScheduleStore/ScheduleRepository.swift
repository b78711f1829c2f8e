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
            SELECT mt.id, mt.user_id, mt.duration_minutes, mt.buffer_before_minutes, mt.buffer_after_minutes,
                   mt.slot_interval_minutes, mt.max_bookings_per_day, mt.min_notice_minutes, mt.max_days_in_future,
                   mt.is_active, u.time_zone
            FROM meeting_types mt JOIN users u ON u.id = mt.user_id
            WHERE mt.id = \(id) AND mt.deleted_at IS NULL
            """)
        guard let row = rows.first else { return nil }
        let zoneName = try row.decode("time_zone", as: String.self)
        guard let zone = TimeZone(identifier: zoneName) else {
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
        return (type, SchedulingHost(id: hostID, timeZone: zone))
    }

    /// The engine's inputs for meeting type `id` around `span`, or `nil` when the type does not exist.
    package func inputs(meetingTypeID id: UUID, around span: Range<Date>, in session: PostgresSession) async throws -> SchedulingInputs? {
        guard let (type, host) = try await meetingType(id: id, in: session) else { return nil }
        let margin = TimeInterval(Self.marginDays * 86_400)
        let from = span.lowerBound.addingTimeInterval(-margin)
        let to = span.upperBound.addingTimeInterval(margin)

        let ruleRows = try await session.query("""
            SELECT day_of_week, start_time, end_time FROM availability_rules WHERE user_id = \(host.id)
            """)
        let rules = try ruleRows.compactMap { row -> WeeklyRule? in
            guard let window = try window(row, start: "start_time", end: "end_time") else { return nil }
            return WeeklyRule(dayOfWeek: try row.decode("day_of_week", as: Int.self), startTime: window.startTime, endTime: window.endTime)
        }

        // Dates are compared as text-free `date` values: a day either side covers every zone offset.
        let overrideRows = try await session.query("""
            SELECT date, intervals FROM date_overrides
            WHERE user_id = \(host.id) AND date BETWEEN (\(from)::timestamptz AT TIME ZONE 'UTC')::date - 1
                                                  AND (\(to)::timestamptz AT TIME ZONE 'UTC')::date + 1
            """)
        let overrides = try overrideRows.compactMap { row -> DateOverride? in
            let day = try row.decode("date", as: PostgresDate.self)
            guard let date = LocalDate(year: day.year, month: day.month, day: day.day) else { return nil }
            let intervals = try row.decode("intervals", as: PostgresJSON.self).decode([WallClockWindow].self)
            return DateOverride(date: date, intervals: intervals)
        }

        let bookingRows = try await session.query("""
            SELECT id, meeting_type_id, start_time, end_time, buffer_before_minutes, buffer_after_minutes
            FROM bookings
            WHERE host_user_id = \(host.id) AND status = 'confirmed'
              AND start_time < \(to) AND end_time > \(from)
            """)
        let bookings = try bookingRows.map { row in
            ConfirmedBooking(
                id: try row.decode("id", as: UUID.self),
                meetingTypeID: try row.decode("meeting_type_id", as: UUID.self),
                start: try row.decode("start_time", as: Date.self),
                end: try row.decode("end_time", as: Date.self),
                bufferBeforeMinutes: try row.decode("buffer_before_minutes", as: Int.self),
                bufferAfterMinutes: try row.decode("buffer_after_minutes", as: Int.self)
            )
        }

        let busyRows = try await session.query("""
            SELECT start_time, end_time FROM external_busy_intervals
            WHERE host_user_id = \(host.id) AND start_time < \(to) AND end_time > \(from)
            """)
        let busy = try busyRows.map { row in
            BusyInterval(start: try row.decode("start_time", as: Date.self), end: try row.decode("end_time", as: Date.self))
        }

        return SchedulingInputs(
            host: host, meetingType: type, weeklyRules: rules, overrides: overrides, bookings: bookings, externalBusy: busy
        )
    }

    private func window(_ row: PostgresRow, start: String, end: String) throws -> WallClockWindow? {
        let open = try row.decode(start, as: PostgresTime.self).secondsSinceMidnight / 60
        var close = try row.decode(end, as: PostgresTime.self).secondsSinceMidnight / 60
        // PostgreSQL stores 24:00 as itself; 00:00 as an end would be a reversed window.
        if close == 0 { close = 24 * 60 }
        guard let startTime = WallClockTime(minuteOfDay: open), let endTime = WallClockTime(minuteOfDay: close) else { return nil }
        return WallClockWindow(startTime: startTime, endTime: endTime)
    }
}
