import Foundation
import NIOCore
import SchedulingCore

/// Writes the slots responses' JSON directly into a buffer, in the same shape and key order as the
/// contract's encoder would (sorted keys, whole-second UTC instants): the cache-hit path answers
/// thousands of requests a second, and `JSONEncoder` would be most of its cost.
enum SlotsResponseBody {
    /// `{date, meeting_type_id, slots, timezone}` for a single date.
    static func day(_ day: DaySlots, meetingTypeID: UUID, zoneName: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(160 + day.slots.count * 110)
        buffer.writeString(#"{"date":""#)
        buffer.writeString(day.date.description)
        buffer.writeString(#"","meeting_type_id":""#)
        buffer.writeString(meetingTypeID.uuidString.lowercased())
        buffer.writeString(#"","slots":"#)
        writeSlots(day.slots, to: &buffer)
        buffer.writeString(#","timezone":"#)
        writeString(zoneName, to: &buffer)
        buffer.writeString("}")
        return buffer
    }

    /// `{days: [{date, slots}], meeting_type_id, timezone}` for a range of dates.
    static func range(_ days: [DaySlots], meetingTypeID: UUID, zoneName: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(160 + days.reduce(0) { $0 + 40 + $1.slots.count * 110 })
        buffer.writeString(#"{"days":["#)
        for (index, day) in days.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(#"{"date":""#)
            buffer.writeString(day.date.description)
            buffer.writeString(#"","slots":"#)
            writeSlots(day.slots, to: &buffer)
            buffer.writeString("}")
        }
        buffer.writeString(#"],"meeting_type_id":""#)
        buffer.writeString(meetingTypeID.uuidString.lowercased())
        buffer.writeString(#"","timezone":"#)
        writeString(zoneName, to: &buffer)
        buffer.writeString("}")
        return buffer
    }

    private static func writeSlots(_ slots: [Slot], to buffer: inout ByteBuffer) {
        buffer.writeString("[")
        for (index, slot) in slots.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(#"{"end":""#)
            buffer.writeString(slot.localEnd.description)
            buffer.writeString(#"","end_time":""#)
            buffer.writeString(RFC3339Instant.string(from: slot.end))
            buffer.writeString(#"","start":""#)
            buffer.writeString(slot.localStart.description)
            buffer.writeString(#"","start_time":""#)
            buffer.writeString(RFC3339Instant.string(from: slot.start))
            buffer.writeString(#""}"#)
        }
        buffer.writeString("]")
    }

    /// A JSON string; zone names are plain ASCII, but nothing unescaped ever reaches the output.
    private static func writeString(_ text: String, to buffer: inout ByteBuffer) {
        buffer.writeString("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": buffer.writeString(#"\""#)
            case "\\": buffer.writeString(#"\\"#)
            case _ where scalar.value < 0x20: buffer.writeString(String(format: "\\u%04x", scalar.value))
            default: buffer.writeString(String(scalar))
            }
        }
        buffer.writeString("\"")
    }
}
