/// One weekly availability window: `{day_of_week, start_time, end_time}` on the wire.
///
/// Times are wall-clock in the host's time zone, so "Tuesday 09:00" stays 09:00 local
/// across daylight-saving changes.
package struct WeeklyRule: Hashable, Sendable, Codable {
    /// 0 = Sunday … 6 = Saturday.
    package var dayOfWeek: Int
    /// Opening time (inclusive).
    package var startTime: WallClockTime
    /// Closing time (exclusive); `24:00` is the end of the day.
    package var endTime: WallClockTime

    /// A rule for `dayOfWeek` (0 = Sunday) from `startTime` to `endTime` (not validated: see `ScheduleViolation`).
    package init(dayOfWeek: Int, startTime: WallClockTime, endTime: WallClockTime) {
        self.dayOfWeek = dayOfWeek
        self.startTime = startTime
        self.endTime = endTime
    }

    /// A rule from two `HH:mm` strings; `nil` when either is malformed.
    package init?(dayOfWeek: Int, _ start: String, _ end: String) {
        guard let window = WallClockWindow(start, end) else { return nil }
        self.init(dayOfWeek: dayOfWeek, startTime: window.startTime, endTime: window.endTime)
    }

    /// The rule's hours, without the day.
    package var window: WallClockWindow {
        WallClockWindow(startTime: startTime, endTime: endTime)
    }

    enum CodingKeys: String, CodingKey {
        case dayOfWeek = "day_of_week"
        case startTime = "start_time"
        case endTime = "end_time"
    }
}
