import Foundation

/// The date and time formats the providers write and read.
enum WireTime {
    private static let utc = TimeZone(identifier: "UTC")!

    /// `2026-03-10T14:00:00Z`: whole-second UTC (Google's `dateTime`, `updated`).
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = utc
        return formatter.string(from: date)
    }

    /// `2026-03-10T14:00:00.000Z`: Google's `created`/`updated` carry milliseconds.
    static func rfc3339Milliseconds(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = utc
        return formatter.string(from: date)
    }

    /// Parses an RFC 3339 instant with or without a fraction.
    static func parseInstant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// `2026-03-10T14:00:00.0000000`: Graph's `dateTimeTimeZone.dateTime` (here always UTC).
    static func graphDateTime(_ date: Date) -> String {
        let whole = rfc3339(date).dropLast() // no "Z": the zone is in `timeZone`
        return whole + ".0000000"
    }

    /// `2026-03-10T14:00:00Z` with 7 fraction digits, as Graph writes `lastModifiedDateTime`.
    static func graphInstant(_ date: Date) -> String {
        String(rfc3339(date).dropLast()) + ".0000000Z"
    }

    /// Parses Graph's local `dateTime` (no offset, optional fraction) in `timeZone`.
    static func parseLocal(_ text: String, in timeZone: TimeZone) -> Date? {
        var trimmed = text
        if let dot = trimmed.firstIndex(of: ".") { trimmed = String(trimmed[..<dot]) }
        if trimmed.hasSuffix("Z") { trimmed.removeLast() }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.date(from: trimmed)
    }

    /// Midnight at the start of `day` (`yyyy-MM-dd`) in `timeZone`.
    static func midnight(of day: String, in timeZone: TimeZone) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: day)
    }

    /// `Tue, 10 Mar 2026 14:00:00 GMT` (RFC 1123), as `X-Goog-Channel-Expiration` carries it.
    static func rfc1123(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = utc
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// Whole milliseconds since 1970.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}

extension WireTime {
    /// `2026-03-10T14:00:00+00:00`, as Graph writes subscription expirations.
    static func graphInstantOffset(_ date: Date) -> String {
        String(rfc3339(date).dropLast()) + "+00:00"
    }
}
