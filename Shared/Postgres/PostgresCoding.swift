import Foundation

/// A Swift value that can be sent as a query parameter in PostgreSQL's text format.
package protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
}

/// A Swift value that can be read from a column in PostgreSQL's text output format.
package protocol PostgresDecodable: Sendable {
    /// Parses PostgreSQL's text output for this type.
    init(postgresText text: String) throws
}

/// Both directions.
package typealias PostgresCodable = PostgresEncodable & PostgresDecodable

extension PostgresError {
    static func decoding(_ text: String, as type: Any.Type) -> PostgresError {
        PostgresError(kind: .decoding, message: "cannot decode \(type) from \(text.prefix(64))")
    }
}

extension String: PostgresCodable {
    package var postgresText: String { self }
    package init(postgresText text: String) { self = text }
}

extension Bool: PostgresCodable {
    package var postgresText: String { self ? "t" : "f" }
    package init(postgresText text: String) throws {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresError.decoding(text, as: Bool.self)
        }
    }
}

/// Integer types share one text form.
package protocol PostgresInteger: FixedWidthInteger, PostgresCodable {}

extension PostgresInteger {
    package var postgresText: String { String(self) }
    package init(postgresText text: String) throws {
        guard let value = Self(text) else { throw PostgresError.decoding(text, as: Self.self) }
        self = value
    }
}

extension Int: PostgresInteger {}
extension Int64: PostgresInteger {}
extension Int32: PostgresInteger {}
extension Int16: PostgresInteger {}

extension Double: PostgresCodable {
    package var postgresText: String { String(self) }
    package init(postgresText text: String) throws {
        guard let value = Double(text) else { throw PostgresError.decoding(text, as: Double.self) }
        self = value
    }
}

extension UUID: PostgresCodable {
    package var postgresText: String { uuidString.lowercased() }
    package init(postgresText text: String) throws {
        guard let value = UUID(uuidString: text) else { throw PostgresError.decoding(text, as: UUID.self) }
        self = value
    }
}

/// `bytea`, sent and read in hex format (`\x0a1b…`).
package struct PostgresBytes: PostgresCodable, Hashable {
    /// The raw bytes.
    package var bytes: [UInt8]

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package var postgresText: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 2 + bytes.count * 2)
        out[0] = UInt8(ascii: "\\")
        out[1] = UInt8(ascii: "x")
        for (i, byte) in bytes.enumerated() {
            out[2 + 2 * i] = digits[Int(byte >> 4)]
            out[3 + 2 * i] = digits[Int(byte & 0x0f)]
        }
        return String(decoding: out, as: UTF8.self)
    }

    package init(postgresText text: String) throws {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw PostgresError.decoding(text, as: PostgresBytes.self)
        }
        func nibble(_ c: UInt8) throws -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: throw PostgresError.decoding(text, as: PostgresBytes.self)
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var i = 2
        while i < utf8.count {
            bytes.append(try nibble(utf8[i]) << 4 | nibble(utf8[i + 1]))
            i += 2
        }
        self.bytes = bytes
    }
}

/// `jsonb` or `json` as its text; encode and decode `Codable` values with `PostgresJSON`.
package struct PostgresJSON: PostgresCodable, Hashable {
    /// The JSON text.
    package var text: String

    package init(text: String) { self.text = text }

    /// Encodes a value as JSON (keys sorted, so equal values give equal text).
    package init<Value: Encodable>(encoding value: Value, encoder: JSONEncoder = PostgresJSON.encoder) throws {
        text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes the JSON text.
    package func decode<Value: Decodable>(_ type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try decoder.decode(type, from: Data(text.utf8))
    }

    package var postgresText: String { text }
    package init(postgresText text: String) { self.text = text }

    /// The default encoder: sorted keys.
    package static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// A `date` column: a calendar day with no time zone.
package struct PostgresDate: PostgresCodable, Hashable, Comparable {
    package var year: Int
    package var month: Int
    package var day: Int

    package init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    package var postgresText: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    package init(postgresText text: String) throws {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw PostgresError.decoding(text, as: PostgresDate.self)
        }
        self.init(year: y, month: m, day: d)
    }

    package static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A `time` column: a wall-clock time of day (`24:00:00` is allowed, as in PostgreSQL).
package struct PostgresTime: PostgresCodable, Hashable {
    /// Seconds since midnight, 0…86400.
    package var secondsSinceMidnight: Int

    package init(secondsSinceMidnight: Int) { self.secondsSinceMidnight = secondsSinceMidnight }

    package init(hour: Int, minute: Int, second: Int = 0) {
        self.secondsSinceMidnight = hour * 3600 + minute * 60 + second
    }

    package var postgresText: String {
        let s = secondsSinceMidnight
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }

    package init(postgresText text: String) throws {
        let parts = text.split(separator: ":")
        guard parts.count >= 2, let h = Int(parts[0]), let m = Int(parts[1]) else {
            throw PostgresError.decoding(text, as: PostgresTime.self)
        }
        let s = parts.count > 2 ? Int(Double(parts[2]) ?? 0) : 0
        self.init(hour: h, minute: m, second: s)
    }
}

extension Date: PostgresCodable {
    /// `timestamptz` input: ISO 8601 in UTC with microseconds.
    package var postgresText: String {
        PostgresTimestamp.format(self)
    }

    /// Parses `timestamptz` output (`2024-01-15 14:00:00.123456+00`; `infinity` and `-infinity` too).
    package init(postgresText text: String) throws {
        guard let date = PostgresTimestamp.parse(text) else { throw PostgresError.decoding(text, as: Date.self) }
        self = date
    }
}

/// A `tstzrange` value with finite bounds, read as half-open `[lower, upper)` when the server says so.
package struct PostgresRange: PostgresCodable, Hashable {
    package var lower: Date
    package var upper: Date
    package var lowerInclusive: Bool
    package var upperInclusive: Bool

    package init(lower: Date, upper: Date, lowerInclusive: Bool = true, upperInclusive: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.lowerInclusive = lowerInclusive
        self.upperInclusive = upperInclusive
    }

    package var postgresText: String {
        "\(lowerInclusive ? "[" : "(")\"\(lower.postgresText)\",\"\(upper.postgresText)\"\(upperInclusive ? "]" : ")")"
    }

    package init(postgresText text: String) throws {
        guard let first = text.first, let last = text.last, "[(".contains(first), "])".contains(last) else {
            throw PostgresError.decoding(text, as: PostgresRange.self)
        }
        let inner = text.dropFirst().dropLast()
        let bounds = inner.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard bounds.count == 2 else { throw PostgresError.decoding(text, as: PostgresRange.self) }
        self.init(
            lower: try Date(postgresText: bounds[0]),
            upper: try Date(postgresText: bounds[1]),
            lowerInclusive: first == "[",
            upperInclusive: last == "]"
        )
    }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// An array literal (`{"a","b"}`) with every element quoted and escaped; cast it in SQL (`$1::uuid[]`).
    package var postgresText: String {
        var out = "{"
        for (i, element) in enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for ch in element.postgresText {
                if ch == "\"" || ch == "\\" { out.append("\\") }
                out.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }
}
