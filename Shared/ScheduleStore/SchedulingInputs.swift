import Foundation
import SchedulingCore

/// Everything the engine needs to offer or check slots of one meeting type over a span of time.
package struct SchedulingInputs: Sendable {
    /// The host and the zone its rules are written in.
    package var host: SchedulingHost
    /// The meeting type (inactive types offer nothing).
    package var meetingType: MeetingType
    package var weeklyRules: [WeeklyRule]
    package var overrides: [DateOverride]
    /// The host's confirmed bookings (all meeting types) near the span, with their stored buffers.
    package var bookings: [ConfirmedBooking]
    /// Busy time from connected calendars near the span.
    package var externalBusy: [BusyInterval]

    /// The engine over these inputs; `excludingBooking` is the booking being rescheduled.
    package func generator(excludingBooking: UUID? = nil) -> SlotGenerator {
        SlotGenerator(
            meetingType: meetingType, host: host, weeklyRules: weeklyRules, overrides: overrides,
            bookings: bookings, externalBusy: externalBusy, excludingBooking: excludingBooking
        )
    }
}
