import Foundation
@testable import SchedulingCore

/// Small builders that keep the tests readable.
enum Fixtures {
    static func zone(_ identifier: String) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone \(identifier)") }
        return zone
    }

    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { fatalError("bad date \(text)") }
        return date
    }

    static func instant(_ text: String) -> Date {
        guard let date = RFC3339Instant.date(from: text) else { fatalError("bad instant \(text)") }
        return date
    }

    static func seconds(_ text: String) -> Int {
        Int(instant(text).timeIntervalSince1970)
    }

    static func window(_ start: String, _ end: String) -> WallClockWindow {
        guard let window = WallClockWindow(start, end) else { fatalError("bad window \(start)-\(end)") }
        return window
    }

    static func rules(_ days: ClosedRange<Int>, _ start: String, _ end: String) -> [WeeklyRule] {
        days.map { WeeklyRule(dayOfWeek: $0, startTime: window(start, end).startTime, endTime: window(start, end).endTime) }
    }

    static func rule(_ day: Int, _ start: String, _ end: String) -> WeeklyRule {
        WeeklyRule(dayOfWeek: day, startTime: window(start, end).startTime, endTime: window(start, end).endTime)
    }

    static let typeID = UUID(uuidString: "00000000-0000-0000-0000-0000000000A1")!
    static let otherTypeID = UUID(uuidString: "00000000-0000-0000-0000-0000000000A2")!
    static let hostID = UUID(uuidString: "00000000-0000-0000-0000-0000000000B1")!

    static func meetingType(
        duration: Int = 30, interval: Int = 15, before: Int = 0, after: Int = 0,
        cap: Int? = nil, notice: Int = 0, maxDays: Int = 60, active: Bool = true
    ) -> MeetingType {
        MeetingType(
            id: typeID, userID: hostID, durationMinutes: duration, bufferBeforeMinutes: before, bufferAfterMinutes: after,
            slotIntervalMinutes: interval, maxBookingsPerDay: cap, minNoticeMinutes: notice, maxDaysInFuture: maxDays, isActive: active
        )
    }

    static func booking(_ start: String, _ end: String, type: UUID = typeID, before: Int = 0, after: Int = 0, id: UUID = UUID()) -> ConfirmedBooking {
        ConfirmedBooking(id: id, meetingTypeID: type, start: instant(start), end: instant(end), bufferBeforeMinutes: before, bufferAfterMinutes: after)
    }

    static func busy(_ start: String, _ end: String) -> BusyInterval {
        BusyInterval(start: instant(start), end: instant(end))
    }

    /// Slot starts as UTC strings, for compact expectations.
    static func utcStarts(_ slots: [Slot]) -> [String] {
        slots.map { RFC3339Instant.string(from: $0.start) }
    }

    /// Slot starts as `HH:mm` in the listing's zone.
    static func localStarts(_ slots: [Slot]) -> [String] {
        slots.map { $0.localStart.description }
    }

    /// A "now" long before every test date, so notice and booking window never interfere
    /// unless a test sets them on purpose.
    static func farPast(before date: String) -> Date {
        instant(date + "T00:00:00Z").addingTimeInterval(-5 * 86_400)
    }
}
