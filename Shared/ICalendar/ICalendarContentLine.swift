/// One iCalendar content line (RFC 5545 §3.1): `NAME;PARAM=value;PARAM="quoted":value`.
package struct ICalendarContentLine: Sendable, Equatable {
    /// The property name, upper-cased (`DTSTART`, `BEGIN`, `X-FOO`).
    package var name: String
    /// Parameters by upper-cased name; a value keeps its case, without the quotes. A parameter
    /// with several values (`MEMBER="a","b"`) keeps them joined by commas.
    package var parameters: [String: String]
    /// The raw value after the first unquoted colon (TEXT escapes not undone; see ``textValue``).
    package var value: String

    /// A line from its parts.
    package init(name: String, parameters: [String: String] = [:], value: String) {
        self.name = name
        self.parameters = parameters
        self.value = value
    }

    /// The value read as TEXT: `\\`, `\;`, `\,`, `\n`/`\N` undone (RFC 5545 §3.3.11).
    package var textValue: String { Self.unescapeText(value) }

    /// Splits `text` into unfolded content lines: a line break (CRLF, or a bare LF as servers
    /// and XML parsers leave it) followed by a space or a tab continues the previous line.
    /// Empty lines are dropped.
    package static func unfold(_ text: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") else {
                current.append(byte)
                continue
            }
            if byte == UInt8(ascii: "\r"), bytes.first == UInt8(ascii: "\n") { bytes.removeFirst() }
            if let next = bytes.first, next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") {
                // A fold: drop the break and the one whitespace character that marks it.
                bytes.removeFirst()
                continue
            }
            if !current.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        if !current.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
        return lines
    }

    /// Parses one unfolded line; nil when it has no colon after its name and parameters.
    package static func parse(_ line: String) -> ICalendarContentLine? {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        func take(until stop: (Unicode.Scalar) -> Bool) -> String {
            var text = String.UnicodeScalarView()
            while index < scalars.count, !stop(scalars[index]) {
                text.append(scalars[index])
                index += 1
            }
            return String(text)
        }

        let name = take { $0 == ";" || $0 == ":" }.uppercased()
        guard !name.isEmpty else { return nil }
        var parameters: [String: String] = [:]
        while index < scalars.count, scalars[index] == ";" {
            index += 1
            let parameterName = take { $0 == "=" || $0 == ";" || $0 == ":" }.uppercased()
            var values: [String] = []
            if index < scalars.count, scalars[index] == "=" {
                repeat {
                    index += 1  // past "=" or ","
                    if index < scalars.count, scalars[index] == "\"" {
                        index += 1
                        values.append(take { $0 == "\"" })
                        if index < scalars.count { index += 1 }  // closing quote
                    } else {
                        values.append(take { $0 == "," || $0 == ";" || $0 == ":" })
                    }
                } while index < scalars.count && scalars[index] == ","
            }
            if !parameterName.isEmpty { parameters[parameterName] = values.joined(separator: ",") }
        }
        guard index < scalars.count, scalars[index] == ":" else { return nil }
        index += 1
        let value = String(String.UnicodeScalarView(scalars[index...]))
        return ICalendarContentLine(name: name, parameters: parameters, value: value)
    }

    /// Undoes TEXT escaping; an unknown escape keeps the escaped character.
    package static func unescapeText(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "n" || character == "N" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }
}
