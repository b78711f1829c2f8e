/// A span of wall-clock hours within one local day, `{start_time, end_time}` on the wire.
///
/// It never crosses midnight: a window that should run past it ends at `24:00` and the next
/// day's window starts at `00:00` (the engine joins the two).
package struct WallClockWindow: Hashable, Sendable, Codable {
    /// Opening time (inclusive).
    package var startTime: WallClockTime
    /// Closing time (exclusive); `24:00` is the end of the day.
    package var endTime: WallClockTime

    /// A window from `startTime` to `endTime` (not validated: see `ScheduleViolation`).
    package init(startTime: WallClockTime, endTime: WallClockTime) {
        self.startTime = startTime
        self.endTime = endTime
    }

    /// A window from two `HH:mm` strings; `nil` when either is malformed.
    package init?(_ start: String, _ end: String) {
        guard let startTime = WallClockTime(start), let endTime = WallClockTime(end) else { return nil }
        self.init(startTime: startTime, endTime: endTime)
    }

    enum CodingKeys: String, CodingKey {
        case startTime = "start_time"
        case endTime = "end_time"
    }
}
