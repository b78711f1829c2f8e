import Foundation
import SchedulingCore

/// One invitee date's slots as the cache holds them: computed without "now" (so without minimum
/// notice and booking window), with the two settings needed to apply those rules when read.
///
/// Stored as compact text, `1|zone|min_notice|max_days|start,end,local_start,local_end;…` (epoch
/// seconds and minutes of the day), because a cache hit must cost microseconds: JSON decoding of
/// the same data is several times slower.
struct CachedDaySlots: Sendable, Equatable {
    /// The zone the date and the `HH:mm` times are in.
    var zoneName: String
    /// The meeting type's minimum notice when this was computed.
    var minNoticeMinutes: Int
    /// The meeting type's booking window when this was computed.
    var maxDaysInFuture: Int
    /// Every slot of the date, ascending, before the "now" rules.
    var slots: [Slot]

    static let formatVersion = "1"

    /// The text written to the cache.
    var encoded: String {
        var out = Self.formatVersion + "|" + zoneName + "|" + String(minNoticeMinutes) + "|" + String(maxDaysInFuture) + "|"
        out.reserveCapacity(out.utf8.count + slots.count * 32)
        for (index, slot) in slots.enumerated() {
            if index > 0 { out += ";" }
            out += String(Int(slot.start.timeIntervalSince1970)) + "," + String(Int(slot.end.timeIntervalSince1970)) + ","
                + String(slot.localStart.minuteOfDay) + "," + String(slot.localEnd.minuteOfDay)
        }
        return out
    }

    init(zoneName: String, minNoticeMinutes: Int, maxDaysInFuture: Int, slots: [Slot]) {
        self.zoneName = zoneName
        self.minNoticeMinutes = minNoticeMinutes
        self.maxDaysInFuture = maxDaysInFuture
        self.slots = slots
    }

    /// Parses `encoded` text; `nil` for anything else (an entry of another format version is a miss).
    init?(encoded bytes: [UInt8]) {
        var fields: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "|") && fields.count < 4 {
            fields.append(bytes[start..<index])
            start = index + 1
        }
        fields.append(bytes[start...])
        guard fields.count == 5, String(decoding: fields[0], as: UTF8.self) == Self.formatVersion,
              let notice = Self.integer(fields[2]), let days = Self.integer(fields[3]) else { return nil }
        zoneName = String(decoding: fields[1], as: UTF8.self)
        minNoticeMinutes = notice
        maxDaysInFuture = days
        slots = []
        let body = fields[4]
        guard !body.isEmpty else { return }
        var numbers = [Int](repeating: 0, count: 4)
        var count = 0
        var value = 0
        var hasDigits = false
        for byte in body {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value &* 10 &+ Int(byte - UInt8(ascii: "0"))
                hasDigits = true
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                guard hasDigits, count < 4 else { return nil }
                numbers[count] = value
                count += 1
                value = 0
                hasDigits = false
                if byte == UInt8(ascii: ";") {
                    guard count == 4, let slot = Self.slot(numbers) else { return nil }
                    slots.append(slot)
                    count = 0
                }
            default:
                return nil
            }
        }
        guard hasDigits, count == 3 else { return nil }
        numbers[3] = value
        guard let slot = Self.slot(numbers) else { return nil }
        slots.append(slot)
    }

    private static func slot(_ numbers: [Int]) -> Slot? {
        guard let localStart = WallClockTime(minuteOfDay: numbers[2]), let localEnd = WallClockTime(minuteOfDay: numbers[3]) else {
            return nil
        }
        return Slot(
            start: Date(timeIntervalSince1970: Double(numbers[0])), end: Date(timeIntervalSince1970: Double(numbers[1])),
            localStart: localStart, localEnd: localEnd
        )
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count < 19 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
