import Foundation
import SchedulingCore

/// A `DATE` or `DATE-TIME` value of an iCalendar property (RFC 5545 §3.3.4, §3.3.5).
package enum ICalendarDateTime: Sendable, Equatable {
    /// `…Z`: an instant, epoch seconds.
    case utc(Int)
    /// A wall-clock time (`daysSinceEpoch × 86400 + second of day`) in a zone; `nil` is a
    /// floating time, which the reader puts in the host's zone.
    case local(Int, TimeZone?)
    /// `VALUE=DATE`: a whole day.
    case date(LocalDate)

    /// Reads the value of `line` (`DTSTART`, `DTEND`, `RECURRENCE-ID`, …); `zones` resolves a
    /// `TZID` parameter. Nil when the value is not a date or date-time.
    package static func parse(_ line: ICalendarContentLine, zones: ICalendarTimeZones) -> ICalendarDateTime? {
        let text = line.value.trimmingCharacters(in: .whitespaces)
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0 ..< 4), let month = number(4 ..< 6), let day = number(6 ..< 8),
              let date = LocalDate(year: year, month: month, day: day)
        else { return nil }
        if bytes.count == 8 { return .date(date) }
        guard bytes.count >= 15, bytes[8] == UInt8(ascii: "T"),
              let hour = number(9 ..< 11), let minute = number(11 ..< 13), let second = number(13 ..< 15),
              hour < 24, minute < 60, second <= 60
        else { return nil }
        // A leap second (60) counts as the next second's start.
        let seconds = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        if bytes.count == 16, bytes[15] == UInt8(ascii: "Z") { return .utc(seconds) }
        guard bytes.count == 15 else { return nil }
        return .local(seconds, line.parameters["TZID"].map(zones.zone(for:)))
    }

    /// Whether this is a whole-day value.
    package var isDate: Bool {
        if case .date = self { true } else { false }
    }

    /// The instant this value stands for; a date is the start of that day and a floating time
    /// that wall time, both in `hostTimeZone`.
    package func instant(hostTimeZone: TimeZone) -> Int {
        switch self {
        case let .utc(seconds): seconds
        case let .local(seconds, zone): Self.instant(localSeconds: seconds, in: zone ?? hostTimeZone)
        case let .date(date): Self.instant(localSeconds: date.daysSinceEpoch * 86_400, in: hostTimeZone)
        }
    }

    /// This value moved by `duration`: days and weeks are nominal (the same wall time that
    /// many days later, RFC 5545 §3.3.6), hours, minutes and seconds exact.
    package func instant(adding duration: ICalendarDuration, hostTimeZone: TimeZone) -> Int {
        let nominal = duration.sign * duration.days * 86_400
        let exact = duration.sign * duration.seconds
        switch self {
        case let .utc(seconds):
            return seconds + nominal + exact
        case let .local(seconds, zone):
            return Self.instant(localSeconds: seconds + nominal, in: zone ?? hostTimeZone) + exact
        case let .date(date):
            return Self.instant(localSeconds: date.daysSinceEpoch * 86_400 + nominal, in: hostTimeZone) + exact
        }
    }

    /// The text used in an external id: `YYYYMMDDTHHMMSSZ` for a date-time (converted to UTC),
    /// `YYYYMMDD` for a date.
    package func idText(hostTimeZone: TimeZone) -> String {
        switch self {
        case let .date(date):
            let (year, month, day) = date.components
            return String(format: "%04d%02d%02d", year, month, day)
        case .utc, .local:
            return Self.utcText(instant(hostTimeZone: hostTimeZone))
        }
    }

    /// `20240115T140000Z` for epoch seconds.
    package static func utcText(_ instant: Int) -> String {
        let date = LocalDate(daysSinceEpoch: instant.flooredDivision(by: 86_400))
        let second = instant - date.daysSinceEpoch * 86_400
        let (year, month, day) = date.components
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", year, month, day, second / 3600, second / 60 % 60, second % 60
        )
    }

    /// The instant of a wall time in `zone`. A repeated wall time is its first occurrence; one
    /// inside a gap (spring forward) is read with the offset before the gap, so 02:30 in New
    /// York on a spring-forward day is 07:30Z (03:30 EDT), as RFC 5545 §3.3.5 asks.
    package static func instant(localSeconds local: Int, in zone: TimeZone) -> Int {
        let table = ZoneOffsetTable(timeZone: zone, covering: (local - 2 * 86_400) ..< (local + 2 * 86_400))
        let instant = table.instant(localSeconds: local, occurrence: .earlier)
        if table.localSeconds(at: instant) == local { return instant }
        return local - table.offset(at: instant - 1)
    }
}

extension Int {
    /// Division rounding towards negative infinity.
    fileprivate func flooredDivision(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
