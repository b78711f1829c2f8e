import Foundation

/// Which time-zone names the contract accepts: IANA identifiers (`America/New_York`, `UTC`).
enum TimeZoneNames {
    /// The identifiers the zone database knows (a constant read once; `UTC` is always there).
    static let known: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC", "Etc/UTC"])

    /// Whether `name` is an IANA zone the engine can use.
    static func isKnown(_ name: String) -> Bool {
        known.contains(name)
    }

    /// The zone called `name`, or `nil` when the name is not an IANA identifier.
    static func zone(named name: String) -> TimeZone? {
        guard isKnown(name) else { return nil }
        return TimeZone(identifier: name)
    }
}
