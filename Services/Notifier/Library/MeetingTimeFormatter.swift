import Foundation
import SchedulingCore

/// Shows an instant the way a person in a zone reads it: "Tuesday, Jan 15, 2024 at 2:00 PM EST",
/// with the zone's city ("New York") as its label.
struct MeetingTimeFormatter: Sendable {
    /// An instant in one zone.
    struct LocalTime: Sendable, Equatable {
        /// The zone's city, e.g. "New York" for `America/New_York`.
        var place: String
        /// e.g. "Tuesday, Jan 15, 2024 at 2:00 PM EST".
        var text: String
    }

    /// `date` in `zoneIdentifier` (UTC when the zone is unknown).
    func localTime(_ date: Date, in zoneIdentifier: String) -> LocalTime {
        let known = NamedTimeZone(stored: zoneIdentifier)?.timeZone
        let zone = known ?? TimeZone(identifier: "UTC")!
        // Foundation names UTC "GMT"; a host who chose UTC reads UTC.
        let identifier = known == nil ? "UTC" : zoneIdentifier
        let text = Self.formatter("EEEE, MMM d, yyyy 'at' h:mm a", zone: zone, locale: "en_US_POSIX").string(from: date)
        let abbreviation = ["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu"].contains(identifier) ? "UTC" : Self.abbreviation(of: zone, at: date)
        return LocalTime(place: Self.place(of: identifier), text: "\(text) \(abbreviation)")
    }

    /// The zone's short name as its people write it ("EST", "BST", "AEDT"): ICU knows most of
    /// them only in the English of their own country (en_US calls BST "GMT+1"), so the first
    /// English locale that has a name wins; "GMT+3" style when none has.
    static func abbreviation(of zone: TimeZone, at date: Date) -> String {
        var fallback: String?
        for locale in ["en_US", "en_GB", "en_AU", "en_NZ", "en_IN", "en_CA", "en_IE", "en_ZA"] {
            let name = formatter("zzz", zone: zone, locale: locale).string(from: date)
            let numeric = (name.hasPrefix("GMT+") || name.hasPrefix("GMT-") || name.hasPrefix("UTC+") || name.hasPrefix("UTC-"))
            if !numeric { return name }
            fallback = fallback ?? name
        }
        return fallback ?? "GMT"
    }

    /// A formatter per call: DateFormatter is not safe to share across threads.
    private static func formatter(_ format: String, zone: TimeZone, locale: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale)
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }

    /// "New York" for `America/New_York`, "Buenos Aires" for `America/Argentina/Buenos_Aires`, "UTC" for `UTC`.
    static func place(of identifier: String) -> String {
        (identifier.split(separator: "/").last.map(String.init) ?? identifier).replacingOccurrences(of: "_", with: " ")
    }
}
