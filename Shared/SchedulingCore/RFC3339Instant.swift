import Foundation

/// Reads and writes instants as RFC 3339 text without `DateFormatter` (which needs tzdata
/// and is slow): written as whole-second UTC (`2026-03-10T14:00:00Z`), read with any offset
/// and an optional fraction.
package enum RFC3339Instant {
    /// `YYYY-MM-DDTHH:mm:ssZ` for `date`, truncated to the whole second.
    package static func string(from date: Date) -> String {
        string(fromEpochSeconds: Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `YYYY-MM-DDTHH:mm:ssZ` for an instant in epoch seconds.
    package static func string(fromEpochSeconds seconds: Int) -> String {
        let day = seconds.flooredDivision(by: 86_400)
        let second = seconds - day * 86_400
        return LocalDate(daysSinceEpoch: day).description + "T"
            + LocalDate.pad(second / 3600, 2) + ":" + LocalDate.pad(second / 60 % 60, 2) + ":"
            + LocalDate.pad(second % 60, 2) + "Z"
    }

    /// Parses `YYYY-MM-DDTHH:mm:ss[.fraction](Z|±HH:mm)`; `nil` for anything else.
    package static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let date = LocalDate(String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = LocalDate.digits(bytes[11..<13]), hour <= 23,
              let minute = LocalDate.digits(bytes[14..<16]), minute <= 59,
              let second = LocalDate.digits(bytes[17..<19]), second <= 60 else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let fractionStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > fractionStart else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let offsetHours = LocalDate.digits(bytes[(index + 1)..<(index + 3)]), offsetHours <= 23,
                  let offsetMinutes = LocalDate.digits(bytes[(index + 4)..<(index + 6)]), offsetMinutes <= 59
            else { return nil }
            offset = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let seconds = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        guard let date = date(from: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "expected an RFC 3339 instant")
        }
        return date
    }
}

extension Int {
    /// Division rounding toward negative infinity.
    func flooredDivision(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// Division rounding toward positive infinity (positive divisor).
    func ceilingDivision(by divisor: Int) -> Int {
        -((-self).flooredDivision(by: divisor))
    }
}
