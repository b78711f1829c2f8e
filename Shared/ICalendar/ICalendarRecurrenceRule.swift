import Foundation
import SchedulingCore

/// The simple `RRULE`s (RFC 5545 §3.3.10) that the busy-time reader expands itself, for a
/// server that returned a recurring event unexpanded.
///
/// Supported: `FREQ` `DAILY`, `WEEKLY`, `MONTHLY` (on the start's day of the month) and
/// `YEARLY` (on the start's date), with `INTERVAL`, `COUNT`, `UNTIL`, and for `WEEKLY` a `BYDAY`
/// of plain weekdays (`MO,WE,FR`) and `WKST`. A rule with any other part (`BYSETPOS`,
/// `BYMONTHDAY`, `BYDAY=2TU`, …) is not supported: ``init(_:)`` returns nil and the reader
/// counts only the first occurrence.
package struct ICalendarRecurrenceRule: Sendable, Equatable {
    /// How often the rule repeats.
    package enum Frequency: String, Sendable {
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
    }

    /// The frequency.
    package var frequency: Frequency
    /// Every how many periods (1 or more).
    package var interval: Int
    /// How many occurrences in all, the first included.
    package var count: Int?
    /// The last allowed start (inclusive), as written.
    package var until: ICalendarDateTime?
    /// Weekdays of a weekly rule, 0 = Sunday … 6 = Saturday; empty means the start's weekday.
    package var weekdays: [Int]
    /// The first day of the week (for `INTERVAL` > 1 with `BYDAY`), 0 = Sunday; Monday by default.
    package var weekStart: Int

    static let weekdayNames = ["SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6]

    /// Parses an `RRULE` value; nil when it is malformed or uses parts this reader does not expand.
    package init?(_ value: String, zones: ICalendarTimeZones) {
        var frequency: Frequency?
        var interval = 1
        var count: Int?
        var until: ICalendarDateTime?
        var weekdays: [Int] = []
        var weekStart = 1
        for part in value.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            guard pair.count == 2 else { return nil }
            switch pair[0] {
            case "FREQ":
                guard let parsed = Frequency(rawValue: pair[1]) else { return nil }
                frequency = parsed
            case "INTERVAL":
                guard let parsed = Int(pair[1]), parsed > 0 else { return nil }
                interval = parsed
            case "COUNT":
                guard let parsed = Int(pair[1]), parsed > 0 else { return nil }
                count = parsed
            case "UNTIL":
                guard let parsed = ICalendarDateTime.parse(ICalendarContentLine(name: "UNTIL", value: pair[1]), zones: zones)
                else { return nil }
                until = parsed
            case "BYDAY":
                for day in pair[1].split(separator: ",") {
                    guard let weekday = Self.weekdayNames[String(day)] else { return nil }
                    weekdays.append(weekday)
                }
            case "WKST":
                guard let weekday = Self.weekdayNames[pair[1]] else { return nil }
                weekStart = weekday
            default:
                return nil
            }
        }
        guard let frequency, weekdays.isEmpty || frequency == .weekly else { return nil }
        self.frequency = frequency
        self.interval = interval
        self.count = count
        self.until = until
        self.weekdays = weekdays
        self.weekStart = weekStart
    }

    /// The starts of the occurrences (the event's `DTSTART`, `start`, is the first) that fall in
    /// `range` (epoch seconds), in order, at most `limit`. Occurrences before the range still
    /// count towards `COUNT`; at most `maximumCandidates` dates are looked at in all.
    package func occurrences(
        from start: ICalendarDateTime, in range: Range<Int>, hostTimeZone: TimeZone,
        limit: Int = 5000, maximumCandidates: Int = 200_000
    ) -> [ICalendarDateTime] {
        let (firstDate, secondOfDay) = Self.split(start)
        let untilInstant = until.map { until -> Int in
            // A date UNTIL on a timed event allows that whole day.
            if case let .date(date) = until, !start.isDate {
                return ICalendarDateTime.instant(localSeconds: (date.daysSinceEpoch + 1) * 86_400 - 1, in: hostTimeZone)
            }
            return until.instant(hostTimeZone: hostTimeZone)
        }
        // A wall time is within 26 hours of its instant, whatever the zone.
        let slack = 26 * 3600
        var result: [ICalendarDateTime] = []
        var made = 0
        var looked = 0
        for date in dates(from: firstDate) {
            looked += 1
            if let count, made >= count { break }
            if looked > maximumCandidates { break }
            let wall = date.daysSinceEpoch * 86_400 + secondOfDay
            if wall >= range.upperBound + slack { break }
            if let untilInstant, wall > untilInstant + slack { break }
            made += 1
            // Far before the range: counted, not resolved to an instant (which costs a zone look-up).
            if wall < range.lowerBound - slack { continue }
            let occurrence = Self.make(like: start, date: date, secondOfDay: secondOfDay)
            let instant = occurrence.instant(hostTimeZone: hostTimeZone)
            if let untilInstant, instant > untilInstant { break }
            if instant >= range.upperBound { break }
            if instant < range.lowerBound { continue }
            result.append(occurrence)
            if result.count >= limit { break }
        }
        return result
    }

    /// Candidate dates in order, the start's date first; a lazy, endless sequence (the caller stops).
    private func dates(from first: LocalDate) -> some Sequence<LocalDate> {
        let (year, month, day) = first.components
        var period = 0
        var pending: [LocalDate] = []
        return AnySequence {
            AnyIterator { () -> LocalDate? in
                // Stops after a very long run of periods without a valid date (never for valid rules).
                var emptyPeriods = 0
                while pending.isEmpty {
                    pending = self.datesInPeriod(period, first: first, year: year, month: month, day: day)
                    period += 1
                    emptyPeriods = pending.isEmpty ? emptyPeriods + 1 : 0
                    if emptyPeriods > 10_000 { return nil }
                }
                return pending.removeFirst()
            }
        }
    }

    private func datesInPeriod(_ period: Int, first: LocalDate, year: Int, month: Int, day: Int) -> [LocalDate] {
        let step = period * interval
        switch frequency {
        case .daily:
            return [first.adding(days: step)]
        case .weekly:
            guard !weekdays.isEmpty else { return [first.adding(days: 7 * step)] }
            let weekBegins = first.adding(days: -((first.dayOfWeek - weekStart + 7) % 7) + 7 * step)
            return Set(weekdays)
                .map { weekBegins.adding(days: ($0 - weekStart + 7) % 7) }
                .filter { $0 >= first }
                .sorted()
        case .monthly:
            let monthIndex = (year * 12 + month - 1) + step
            return LocalDate(year: monthIndex / 12, month: monthIndex % 12 + 1, day: day).map { [$0] } ?? []
        case .yearly:
            return LocalDate(year: year + step, month: month, day: day).map { [$0] } ?? []
        }
    }

    /// The date and second of day of a value, in its own terms (UTC, wall time, or date).
    private static func split(_ value: ICalendarDateTime) -> (LocalDate, Int) {
        switch value {
        case let .utc(seconds), let .local(seconds, _):
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            return (LocalDate(daysSinceEpoch: days), seconds - days * 86_400)
        case let .date(date):
            return (date, 0)
        }
    }

    private static func make(like start: ICalendarDateTime, date: LocalDate, secondOfDay: Int) -> ICalendarDateTime {
        switch start {
        case .utc: .utc(date.daysSinceEpoch * 86_400 + secondOfDay)
        case let .local(_, zone): .local(date.daysSinceEpoch * 86_400 + secondOfDay, zone)
        case .date: .date(date)
        }
    }
}
