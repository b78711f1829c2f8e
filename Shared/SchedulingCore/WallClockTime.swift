/// A wall-clock time of day, `HH:mm` on the wire, from `00:00` to `24:00` (the end of the day).
package struct WallClockTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Minutes since the start of the day, 0...1440.
    package let minuteOfDay: Int

    /// `00:00`.
    package static let startOfDay = WallClockTime(uncheckedMinuteOfDay: 0)
    /// `24:00`: midnight at the end of the day (valid only as an end time).
    package static let endOfDay = WallClockTime(uncheckedMinuteOfDay: 1440)

    /// The time `minuteOfDay` minutes after midnight; `nil` outside 0...1440.
    package init?(minuteOfDay: Int) {
        guard (0...1440).contains(minuteOfDay) else { return nil }
        self.minuteOfDay = minuteOfDay
    }

    /// `hour:minute`; `nil` unless 00:00...23:59 or exactly 24:00.
    package init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour) && (0...59).contains(minute) || (hour == 24 && minute == 0) else { return nil }
        self.minuteOfDay = hour * 60 + minute
    }

    /// Parses a strict `HH:mm` (`24:00` allowed).
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              let hour = LocalDate.digits(bytes[0..<2]),
              let minute = LocalDate.digits(bytes[3..<5]) else { return nil }
        self.init(hour: hour, minute: minute)
    }

    init(uncheckedMinuteOfDay: Int) {
        self.minuteOfDay = uncheckedMinuteOfDay
    }

    /// The hour, 0...24.
    package var hour: Int { minuteOfDay / 60 }
    /// The minute, 0...59.
    package var minute: Int { minuteOfDay % 60 }

    /// `HH:mm`.
    package var description: String {
        LocalDate.pad(hour, 2) + ":" + LocalDate.pad(minute, 2)
    }

    /// Earlier times sort first.
    package static func < (lhs: WallClockTime, rhs: WallClockTime) -> Bool {
        lhs.minuteOfDay < rhs.minuteOfDay
    }
}

extension WallClockTime: Codable {
    /// Decodes the contract's JSON shape.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = WallClockTime(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a time HH:mm")
        }
        self = time
    }

    /// Encodes the contract's JSON shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
