import Foundation
import SchedulingCore
import Testing
@testable import AvailabilityService

@Suite("Cache entry format and slugs")
struct CachedDaySlotsTests {
    static func slot(_ start: Int, _ minutes: Int, _ localStart: Int, _ localEnd: Int) -> Slot {
        Slot(
            start: Date(timeIntervalSince1970: Double(start)), end: Date(timeIntervalSince1970: Double(start + minutes * 60)),
            localStart: WallClockTime(minuteOfDay: localStart)!, localEnd: WallClockTime(minuteOfDay: localEnd)!
        )
    }

    @Test("an entry survives its text form, with and without slots")
    func roundTrip() {
        let entries = [
            CachedDaySlots(zoneName: "America/New_York", minNoticeMinutes: 120, maxDaysInFuture: 60, slots: [
                Self.slot(1_772_546_400, 30, 540, 570), Self.slot(1_772_548_200, 30, 570, 600), Self.slot(1_772_575_200, 60, 1410, 30),
            ]),
            CachedDaySlots(zoneName: "UTC", minNoticeMinutes: 0, maxDaysInFuture: 1, slots: []),
        ]
        for entry in entries {
            #expect(CachedDaySlots(encoded: Array(entry.encoded.utf8)) == entry)
        }
    }

    @Test("anything else is not an entry (read as a miss)", arguments: [
        "", "2|UTC|0|60|", "1|UTC|0|60", "1|UTC|x|60|", "1|UTC|0|60|1,2,3", "1|UTC|0|60|1,2,3,4;", "1|UTC|0|60|1,2,3,4,5", "1|UTC|0|60|1,2,3,2000",
        "1|UTC|0|60|a,2,3,4",
    ])
    func rejects(text: String) {
        #expect(CachedDaySlots(encoded: Array(text.utf8)) == nil)
    }

    @Test("a slug is derived from a name", arguments: [
        ("Ada Lovelace", "ada-lovelace"), ("  José  Ñúñez ", "jose-nunez"), ("Dr. Who?!", "dr-who"), ("日本", "user"), ("a--b", "a-b"),
    ])
    func derivedSlug(name: String, slug: String) {
        #expect(Slug.derived(from: name) == slug)
        #expect(Slug.isValid(Slug.derived(from: name)))
    }
}
