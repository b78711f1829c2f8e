import Foundation

/// The `Retry-After` header (RFC 9110 §10.2.3): delay-seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`).
package enum RetryAfter {
    /// How long `value` says to wait from `now`: `nil` when it is neither form; zero for a date
    /// that has passed. Waits over a day are taken as a day.
    package static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let seconds = Int64(text.prefix(12)) else { return nil }
            return .seconds(min(seconds, 86_400))
        }
        guard let date = httpDate(text) else { return nil }
        // Whole seconds, rounded up: the date is the earliest moment to try again.
        return .seconds(Int64(max(0, min(date.timeIntervalSince(now), 86_400)).rounded(.up)))
    }

    /// An IMF-fixdate (the form senders must use), or the obsolete RFC 850 and asctime forms.
    private static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(secondsFromGMT: 0)
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
