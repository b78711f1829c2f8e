import Foundation
import SchedulingCore

/// Parses the compact text the schedule query aggregates busy time into: a host with a few hundred
/// bookings near a span is read on every uncached slot look-up, and decoding the same rows as JSON
/// (UUIDs, dates) cost more than the query itself.
///
/// Bookings: `id,meeting_type_id,start,end,buffer_before,buffer_after;…` with whole epoch seconds
/// (start rounded down, end rounded up: the engine widens them outward to whole seconds anyway).
/// External busy time: `start,end;…`.
enum BusyTimeText {
    /// The confirmed bookings in `text`; throws on anything malformed.
    static func bookings(_ text: String) throws -> [ConfirmedBooking] {
        try records(text, fields: 6).map { fields in
            guard let id = uuid(fields[0]), let type = uuid(fields[1]), let start = integer(fields[2]), let end = integer(fields[3]),
                  let before = integer(fields[4]), let after = integer(fields[5])
            else { throw BusyTimeTextError(text: text) }
            return ConfirmedBooking(
                id: id, meetingTypeID: type,
                start: Date(timeIntervalSince1970: Double(start)), end: Date(timeIntervalSince1970: Double(end)),
                bufferBeforeMinutes: before, bufferAfterMinutes: after
            )
        }
    }

    /// The busy intervals in `text`; throws on anything malformed.
    static func intervals(_ text: String) throws -> [BusyInterval] {
        try records(text, fields: 2).map { fields in
            guard let start = integer(fields[0]), let end = integer(fields[1]) else { throw BusyTimeTextError(text: text) }
            return BusyInterval(start: Date(timeIntervalSince1970: Double(start)), end: Date(timeIntervalSince1970: Double(end)))
        }
    }

    /// `;`-separated records of `fields` `,`-separated fields each.
    private static func records(_ text: String, fields count: Int) throws -> [[ArraySlice<UInt8>]] {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return [] }
        return try bytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map { record in
            let fields = record.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count == count else { throw BusyTimeTextError(text: text) }
            return fields
        }
    }

    /// A decimal integer, optionally negative.
    static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        var digits = bytes
        var sign = 1
        if digits.first == UInt8(ascii: "-") {
            sign = -1
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return sign * value
    }

    /// A UUID in its 36-character text form (either case).
    static func uuid(_ bytes: ArraySlice<UInt8>) -> UUID? {
        guard bytes.count == 36 else { return nil }
        var out = [UInt8](repeating: 0, count: 16)
        var index = 0
        var high: UInt8?
        for (position, byte) in bytes.enumerated() {
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                out[index] = first << 4 | nibble
                index += 1
                high = nil
            } else {
                high = nibble
            }
        }
        return UUID(uuid: (out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7],
                           out[8], out[9], out[10], out[11], out[12], out[13], out[14], out[15]))
    }
}

/// The schedule query returned busy time in a form the parser does not know.
struct BusyTimeTextError: Error, CustomStringConvertible {
    let text: String
    var description: String { "BusyTimeTextError(\(text.prefix(80)))" }
}
