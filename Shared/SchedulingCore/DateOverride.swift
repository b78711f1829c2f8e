/// A host-local date whose hours are exactly `intervals` (an empty list closes the day):
/// `{date, intervals: [{start_time, end_time}]}` on the wire.
package struct DateOverride: Hashable, Sendable, Codable {
    /// The date, in the host's time zone.
    package var date: LocalDate
    /// The hours open on that date, replacing the weekly rules; empty means unavailable all day.
    package var intervals: [WallClockWindow]

    /// An override of `date` with exactly `intervals`.
    package init(date: LocalDate, intervals: [WallClockWindow]) {
        self.date = date
        self.intervals = intervals
    }
}
