import Foundation
import ICalendar
import SchedulingCore

/// Instants from the providers' date and time forms.
package enum ProviderTime {
    /// An all-day span (`start` to `endExclusive`, dates) as instants: busy for the whole
    /// host-local days, from the first day's start to the start of the day after the last.
    package static func allDay(from start: LocalDate, to endExclusive: LocalDate, in zone: TimeZone) -> (Date, Date) {
        let end = endExclusive > start ? endExclusive : start.adding(days: 1)
        let span = (start.daysSinceEpoch - 2) * 86_400 ..< (end.daysSinceEpoch + 2) * 86_400
        let table = ZoneOffsetTable(timeZone: zone, covering: span)
        let from = table.instant(localSeconds: start.daysSinceEpoch * 86_400, occurrence: .earlier)
        let to = table.instant(localSeconds: end.daysSinceEpoch * 86_400, occurrence: .earlier)
        return (Date(timeIntervalSince1970: TimeInterval(from)), Date(timeIntervalSince1970: TimeInterval(to)))
    }

    /// A wall-clock `yyyy-MM-ddTHH:mm:ss[.fffffff]` (Graph's `dateTimeTimeZone.dateTime`) in `zone`.
    package static func wallClock(_ text: String, in zone: TimeZone) -> Date? {
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let date = LocalDate(String(parts[0])) else { return nil }
        let time = parts[1].prefix(8).split(separator: ":")
        guard time.count >= 2, let hour = Int(time[0]), let minute = Int(time[1]), (0 ... 23).contains(hour), (0 ... 59).contains(minute) else {
            return nil
        }
        let second = time.count > 2 ? Int(time[2]) ?? 0 : 0
        let local = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        if zone.identifier == "UTC" || zone.identifier == "GMT" {
            return Date(timeIntervalSince1970: TimeInterval(local))
        }
        let table = ZoneOffsetTable(timeZone: zone, covering: (local - 2 * 86_400) ..< (local + 2 * 86_400))
        return Date(timeIntervalSince1970: TimeInterval(table.instant(localSeconds: local, occurrence: .earlier)))
    }

    /// A zone a provider names: any name of the tz database (Google writes those), or one of the
    /// Windows names Graph may write (`Pacific Standard Time`, `tzone://Microsoft/Utc`); else nil.
    package static func zone(_ name: String?) -> TimeZone? {
        guard let name, !name.isEmpty else { return nil }
        if name == "tzone://Microsoft/Utc" { return NamedTimeZone("UTC")?.timeZone }
        if let zone = NamedTimeZone(name) { return zone.timeZone }
        return ICalendarTimeZones.windowsZones[name].flatMap { NamedTimeZone($0)?.timeZone }
    }

    /// Graph's `dateTime` form in UTC: `2026-03-10T14:00:00.0000000`.
    package static func graphUTC(_ date: Date) -> String {
        String(RFC3339Instant.string(from: date).dropLast()) + ".0000000"
    }
}
