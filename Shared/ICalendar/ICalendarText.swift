import Foundation

/// RFC 5545 text rules: escaped values, UTC date-times, CRLF lines folded at 75 octets; shared by
/// the notifier's invitations and the integration service's CalDAV objects.
package enum ICalendarText {
    /// A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11).
    package static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r": result += "\\n"
            case "\n": if !previousWasCR { result += "\\n" }
            default:
                // Other control characters are not allowed in TEXT.
                if scalar.value < 0x20 || scalar.value == 0x7f { break }
                result.unicodeScalars.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return result
    }

    /// A parameter value (e.g. `CN`): quoted, without the characters a quoted value cannot hold.
    package static func parameter(_ text: String) -> String {
        let cleaned = text.unicodeScalars.filter { $0 != "\"" && $0.value >= 0x20 && $0.value != 0x7f }
        return "\"" + String(String.UnicodeScalarView(cleaned)) + "\""
    }

    /// `20240115T140000Z`.
    package static func utc(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)
        )
    }

    /// Content lines from rendered text: blank lines dropped, each line folded so no line
    /// exceeds 75 octets (continuations start with a space; UTF-8 sequences are never split),
    /// joined with CRLF and ended with one.
    package static func contentLines(_ rendered: String) -> String {
        rendered
            .split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .map(fold)
            .joined(separator: "\r\n") + "\r\n"
    }

    /// One content line folded at 75 octets.
    package static func fold(_ line: String) -> String {
        var lines: [String] = []
        var current = ""
        var currentOctets = 0
        var limit = 75
        for character in line {
            let octets = character.utf8.count
            if currentOctets + octets > limit, !current.isEmpty {
                lines.append(current)
                current = ""
                currentOctets = 0
                limit = 74  // the leading space of a continuation counts
            }
            current.append(character)
            currentOctets += octets
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }
}
