import Foundation
import ICalendar

/// One MIME entity: headers (names lower-cased, values unfolded), its raw body and its parts.
struct MIMEEntity {
    var headers: [String: String]
    var rawBody: String

    /// Parses a message or part (CRLF or LF line ends).
    init(_ text: String) {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let split = normalized.range(of: "\n\n")
        let head = split.map { String(normalized[..<$0.lowerBound]) } ?? normalized
        rawBody = split.map { String(normalized[$0.upperBound...]) } ?? ""
        var headers: [String: String] = [:]
        var lastName: String?
        for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.first == " " || line.first == "\t", let name = lastName {
                headers[name, default: ""] += String(line.dropFirst())
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                lastName = name
            }
        }
        self.headers = headers
    }

    var contentType: String { headers["content-type"] ?? "text/plain" }

    /// A parameter of the Content-Type header (`boundary`, `method`…), without quotes.
    func parameter(_ name: String) -> String? {
        for piece in contentType.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == name { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// The parts of a multipart entity.
    var parts: [MIMEEntity] {
        guard contentType.lowercased().hasPrefix("multipart/"), let boundary = parameter("boundary") else { return [] }
        var result: [MIMEEntity] = []
        let chunks = rawBody.components(separatedBy: "--\(boundary)")
        for chunk in chunks.dropFirst() {
            if chunk.hasPrefix("--") { break }
            result.append(MIMEEntity(String(chunk.drop { $0 == "\n" })))
        }
        return result
    }

    /// Every non-multipart entity inside, depth first.
    var leaves: [MIMEEntity] {
        let children = parts
        return children.isEmpty ? [self] : children.flatMap(\.leaves)
    }

    /// The body, decoded from base64 when the part says so.
    var decodedBody: String {
        if headers["content-transfer-encoding"]?.lowercased() == "base64" {
            let compact = rawBody.filter { !$0.isWhitespace }
            return Data(base64Encoded: compact).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return rawBody
    }

    /// The first leaf whose content type starts with `prefix`.
    func leaf(_ prefix: String) -> MIMEEntity? {
        leaves.first { $0.contentType.lowercased().hasPrefix(prefix) }
    }

    /// The Subject header, RFC 2047 encoded words decoded.
    var subject: String {
        let raw = headers["subject"] ?? ""
        guard raw.contains("=?") else { return raw }
        var result = ""
        for word in raw.split(separator: " ") {
            let parts = word.split(separator: "?")
            if parts.count == 5, parts[0] == "=", parts[2].uppercased() == "B", let data = Data(base64Encoded: String(parts[3])) {
                result += String(decoding: data, as: UTF8.self)
            } else {
                result += String(word)
            }
        }
        return result
    }
}

/// A message the local SMTP sink accepted.
struct SinkMessage {
    var file: String
    var raw: String
    var entity: MIMEEntity

    var to: String { entity.headers["to"] ?? "" }
    var kind: String { entity.headers["x-rendezvous-notification"] ?? "" }
    var messageID: String { entity.headers["message-id"] ?? "" }
    var text: String { entity.leaf("text/plain")?.decodedBody ?? "" }
    var html: String { entity.leaf("text/html")?.decodedBody ?? "" }
    var calendarPart: MIMEEntity? { entity.leaf("text/calendar") }
}

/// Reads the sink's folder.
enum MailSink {
    /// Files are named by the instant they were written (`20261122T075602.024481Z-<uuid>.eml`):
    /// those from before this test run (15 minutes before the first look) are skipped unread,
    /// so a sink holding a benchmark's tens of thousands of messages does not slow every wait.
    static let cutoff: String = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return formatter.string(from: Date().addingTimeInterval(-15 * 60))
    }()

    /// The messages for `recipient` (its `To:` header), oldest first; optionally of one kind.
    static func messages(to recipient: String, kind: String? = nil) throws -> [SinkMessage] {
        let folder = NotifierTestSupport.sinkDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var found: [SinkMessage] = []
        for name in names.sorted() where name.hasSuffix(".eml") && !name.hasPrefix(".") && name >= cutoff {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            let raw = String(decoding: data, as: UTF8.self)
            // Cheap filter before parsing: the recipient appears in the envelope header.
            guard raw.contains(recipient) else { continue }
            let entity = MIMEEntity(raw)
            guard entity.headers["to"] == recipient else { continue }
            let message = SinkMessage(file: name, raw: raw, entity: entity)
            if let kind, message.kind != kind { continue }
            found.append(message)
        }
        return found
    }
}

/// An iCalendar object read the way a calendar client reads it, checking RFC 5545 rules on the way.
struct ICalendarObject {
    struct Property {
        var name: String
        var parameters: [String: String]
        var value: String
    }

    var properties: [Property] = []
    /// Every rule the text breaks (empty when valid).
    var problems: [String] = []

    init(_ text: String) {
        if !text.hasSuffix("\r\n") { problems.append("does not end with CRLF") }
        let physical = text.components(separatedBy: "\r\n").dropLast()
        var logical: [String] = []
        for line in physical {
            if line.utf8.count > 75 { problems.append("line longer than 75 octets: \(line)") }
            if line.contains("\n") || line.contains("\r") { problems.append("bare line break") }
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                if logical.isEmpty { problems.append("continuation first") } else { logical[logical.count - 1] += line.dropFirst() }
            } else {
                logical.append(line)
            }
        }
        var depth: [String] = []
        for line in logical {
            guard let colon = Self.valueSeparator(in: line) else {
                problems.append("no value: \(line)")
                continue
            }
            let head = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            var pieces = head.split(separator: ";").map(String.init)
            let name = pieces.removeFirst().uppercased()
            var parameters: [String: String] = [:]
            for piece in pieces {
                let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { parameters[pair[0].uppercased()] = pair[1] }
            }
            if name == "BEGIN" { depth.append(value) }
            if name == "END" {
                if depth.last == value { depth.removeLast() } else { problems.append("END:\(value) does not close \(depth.last ?? "nothing")") }
            }
            properties.append(Property(name: name, parameters: parameters, value: value))
        }
        if !depth.isEmpty { problems.append("unclosed \(depth)") }
        for required in ["VERSION", "PRODID", "METHOD", "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE"] where value(required) == nil {
            problems.append("missing \(required)")
        }
        for name in ["DTSTAMP", "DTSTART", "DTEND"] {
            if let value = value(name), Self.utcDate(value) == nil { problems.append("\(name) is not a UTC date-time: \(value)") }
        }
    }

    func value(_ name: String) -> String? { properties.first { $0.name == name }?.value }

    /// A TEXT value with its escapes undone.
    func text(_ name: String) -> String? {
        value(name).map(ICalendarContentLine.unescapeText)
    }

    /// `20270316T140000Z` as a date.
    static func utcDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return text.count == 16 ? formatter.date(from: text) : nil
    }

    /// The colon that ends the name and parameters (colons inside quoted parameter values do not count).
    private static func valueSeparator(in line: String) -> String.Index? {
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == "\"" { quoted.toggle() }
            if character == ":" && !quoted { return index }
            index = line.index(after: index)
        }
        return nil
    }
}
