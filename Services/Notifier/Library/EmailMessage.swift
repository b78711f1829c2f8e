import Foundation

/// An RFC 5322 / MIME message: plain text and HTML alternatives, and the iCalendar invitation as
/// an attachment (`multipart/mixed` around `multipart/alternative`). Every part is base64, so no
/// line is longer than 76 characters whatever the content; CRLF line ends throughout.
struct EmailMessage: Sendable {
    var from: String
    var fromName: String
    var to: String
    var messageID: String
    var date: Date
    var email: RenderedEmail
    /// `X-Rendezvous-Notification`: the notification kind, for filters and tests.
    var kind: String

    /// The message bytes as SMTP sends them.
    var bytes: [UInt8] {
        let boundary = "rz-" + String(messageID.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init).prefix(32))
        var lines: [String] = [
            "From: \(Self.encodedWord(fromName)) <\(Self.headerSafe(from))>",
            "To: \(Self.headerSafe(to))",
            "Subject: \(Self.encodedWord(email.subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(Self.headerSafe(messageID))",
            "MIME-Version: 1.0",
            "X-Rendezvous-Notification: \(Self.headerSafe(kind))",
            "Auto-Submitted: auto-generated",
        ]
        let alternative = [
            "Content-Type: multipart/alternative; boundary=\"\(boundary)-alt\"",
            "",
            "--\(boundary)-alt",
        ] + Self.part(contentType: "text/plain; charset=utf-8", body: email.text)
            + ["--\(boundary)-alt"]
            + Self.part(contentType: "text/html; charset=utf-8", body: email.html)
            + ["--\(boundary)-alt--"]
        if let calendar = email.calendar {
            lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)-mixed\"")
            lines.append("")
            lines.append("--\(boundary)-mixed")
            lines.append(contentsOf: alternative)
            lines.append("--\(boundary)-mixed")
            lines.append(contentsOf: Self.part(
                contentType: "text/calendar; charset=utf-8; method=\(calendar.method); name=\"invite.ics\"",
                disposition: "attachment; filename=\"invite.ics\"",
                body: calendar.content
            ))
            lines.append("--\(boundary)-mixed--")
        } else {
            lines.append(contentsOf: alternative)
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// Headers of one part and its body in base64 lines of 76 characters.
    private static func part(contentType: String, disposition: String? = nil, body: String) -> [String] {
        var lines = ["Content-Type: \(contentType)", "Content-Transfer-Encoding: base64"]
        if let disposition { lines.append("Content-Disposition: \(disposition)") }
        lines.append("")
        let encoded = Data(body.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// A header value as is when it is printable ASCII, else RFC 2047 encoded words (UTF-8,
    /// base64, at most 75 characters each, never splitting a character).
    static func encodedWord(_ text: String) -> String {
        let clean = headerSafe(text)
        if clean.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) && !clean.contains("=?") { return clean }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in clean {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Without line breaks (no header injection) and other control characters.
    static func headerSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : Character($0) })
    }

    /// `Sun, 22 Nov 2026 05:04:04 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = String(format: "%02d", Int(parts.tm_mday))
        let clock = String(format: "%04d %02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return "\(days[Int(parts.tm_wday)]), \(day) \(months[Int(parts.tm_mon)]) \(clock) +0000"
    }
}
