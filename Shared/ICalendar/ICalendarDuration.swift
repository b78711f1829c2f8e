import Foundation

/// An iCalendar `DURATION` value (RFC 5545 §3.3.6): `P1W`, `P1DT2H`, `PT90M`, `-PT15M`.
package struct ICalendarDuration: Sendable, Equatable {
    /// `1` or `-1`.
    package var sign: Int
    /// Nominal days (weeks counted as 7 days).
    package var days: Int
    /// Exact seconds (hours, minutes and seconds).
    package var seconds: Int

    /// A duration from its parts.
    package init(sign: Int = 1, days: Int = 0, seconds: Int = 0) {
        self.sign = sign
        self.days = days
        self.seconds = seconds
    }

    /// Parses `text`; nil when it is not a duration.
    package init?(_ text: String) {
        var scalars = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())[...]
        var sign = 1
        if scalars.first == "+" || scalars.first == "-" {
            sign = scalars.removeFirst() == "-" ? -1 : 1
        }
        guard scalars.popFirst() == "P", !scalars.isEmpty else { return nil }
        var days = 0, seconds = 0
        var inTime = false
        var digits = ""
        var sawUnit = false
        for character in scalars {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            if character == "T" {
                guard !inTime, digits.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard let count = Int(digits) else { return nil }
            digits = ""
            sawUnit = true
            switch (character, inTime) {
            case ("W", false): days += 7 * count
            case ("D", false): days += count
            case ("H", true): seconds += 3600 * count
            case ("M", true): seconds += 60 * count
            case ("S", true): seconds += count
            default: return nil
            }
        }
        guard digits.isEmpty, sawUnit else { return nil }
        self.init(sign: sign, days: days, seconds: seconds)
    }
}
