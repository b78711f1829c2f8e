import Foundation
import SchedulingCore

/// Resolves the `TZID` parameters of one iCalendar object to Foundation time zones.
///
/// In order: an IANA name (`Europe/Berlin`); the object's own `VTIMEZONE` with that id when
/// it names an IANA zone in `X-LIC-LOCATION` or has a single offset; an IANA name at the end of
/// a path-like id (`/mozilla.org/20050126_1/America/New_York`); a common Windows zone name
/// (Outlook and Exchange write `Eastern Standard Time`); otherwise the host's zone. The rules
/// of a `VTIMEZONE` with daylight saving are not evaluated.
package struct ICalendarTimeZones: Sendable {
    /// The zone for floating times, dates and ids that resolve to nothing else.
    package var hostTimeZone: TimeZone
    /// Zones declared by the object's `VTIMEZONE` components, by `TZID`.
    package var declared: [String: TimeZone]

    /// Zones for the object whose components are `components` (a `VCALENDAR`'s children).
    package init(hostTimeZone: TimeZone, components: [ICalendarComponent] = []) {
        self.hostTimeZone = hostTimeZone
        var declared: [String: TimeZone] = [:]
        for component in components where component.name == "VTIMEZONE" {
            guard let id = component.property("TZID")?.value else { continue }
            if let location = component.property("X-LIC-LOCATION")?.value, let zone = NamedTimeZone(location)?.timeZone {
                declared[id] = zone
                continue
            }
            let offsets = Set(
                component.components
                    .filter { $0.name == "STANDARD" || $0.name == "DAYLIGHT" }
                    .compactMap { $0.property("TZOFFSETTO").flatMap { Self.offsetSeconds($0.value) } }
            )
            if offsets.count == 1, let zone = TimeZone(secondsFromGMT: offsets.first!) {
                declared[id] = zone
            }
        }
        self.declared = declared
    }

    /// The zone `tzid` stands for.
    package func zone(for tzid: String) -> TimeZone {
        let id = tzid.trimmingCharacters(in: .whitespaces)
        if let zone = NamedTimeZone(id)?.timeZone { return zone }
        if let zone = declared[id] { return zone }
        let parts = id.split(separator: "/")
        if parts.count > 1 {
            for length in stride(from: min(3, parts.count - 1), through: 1, by: -1) {
                if let zone = NamedTimeZone(parts.suffix(length).joined(separator: "/"))?.timeZone { return zone }
            }
        }
        if let name = Self.windowsZones[id], let zone = NamedTimeZone(name)?.timeZone { return zone }
        return hostTimeZone
    }

    /// `+0100`, `-0530`, `+013000` as seconds east of UTC.
    static func offsetSeconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let signCharacter = trimmed.first, signCharacter == "+" || signCharacter == "-" else { return nil }
        let digits = trimmed.dropFirst()
        guard digits.count == 4 || digits.count == 6, digits.allSatisfy(\.isNumber),
              let hours = Int(digits.prefix(2)), let minutes = Int(digits.dropFirst(2).prefix(2))
        else { return nil }
        let seconds = digits.count == 6 ? Int(digits.suffix(2)) ?? 0 : 0
        return (signCharacter == "-" ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds)
    }

    /// The Windows zone names seen most in calendars, to their IANA zone (CLDR's mapping).
    /// Common Windows zone names (Outlook, Exchange, Graph) and the IANA zone each stands for.
    package static let windowsZones: [String: String] = [
        "UTC": "UTC",
        "GMT Standard Time": "Europe/London",
        "Greenwich Standard Time": "Atlantic/Reykjavik",
        "W. Europe Standard Time": "Europe/Berlin",
        "Central Europe Standard Time": "Europe/Budapest",
        "Central European Standard Time": "Europe/Warsaw",
        "Romance Standard Time": "Europe/Paris",
        "E. Europe Standard Time": "Europe/Chisinau",
        "FLE Standard Time": "Europe/Kiev",
        "GTB Standard Time": "Europe/Bucharest",
        "Russian Standard Time": "Europe/Moscow",
        "Eastern Standard Time": "America/New_York",
        "Central Standard Time": "America/Chicago",
        "Mountain Standard Time": "America/Denver",
        "US Mountain Standard Time": "America/Phoenix",
        "Pacific Standard Time": "America/Los_Angeles",
        "Alaskan Standard Time": "America/Anchorage",
        "Hawaiian Standard Time": "Pacific/Honolulu",
        "Atlantic Standard Time": "America/Halifax",
        "E. South America Standard Time": "America/Sao_Paulo",
        "India Standard Time": "Asia/Kolkata",
        "China Standard Time": "Asia/Shanghai",
        "Tokyo Standard Time": "Asia/Tokyo",
        "Singapore Standard Time": "Asia/Singapore",
        "AUS Eastern Standard Time": "Australia/Sydney",
        "New Zealand Standard Time": "Pacific/Auckland",
        "South Africa Standard Time": "Africa/Johannesburg",
        "Arabian Standard Time": "Asia/Dubai",
    ]
}
