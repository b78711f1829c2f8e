import Foundation
import Testing
@testable import SchedulingCore

@Suite("Value types and their JSON shape")
struct ContractShapeTests {
    @Test("LocalDate parses, prints and counts days like the Gregorian calendar")
    func localDateArithmetic() {
        #expect(LocalDate("1970-01-01")?.daysSinceEpoch == 0)
        #expect(LocalDate("2024-02-29")?.description == "2024-02-29")
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2024-2-01") == nil)
        #expect(LocalDate("2024-13-01") == nil)
        #expect(LocalDate("1969-12-31")?.daysSinceEpoch == -1)
        #expect(Fixtures.date("2024-03-10").dayOfWeek == 0)
        #expect(Fixtures.date("2011-12-30").dayOfWeek == 5)
        #expect(Fixtures.date("1969-12-28").dayOfWeek == 0)
        // Against Foundation's calendar over a long stretch.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // From 1600 to 2400 (Foundation's calendar is Julian before 1582).
        for day in stride(from: -135_000, to: 157_000, by: 997) {
            let date = LocalDate(daysSinceEpoch: day)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            let (year, month, dayOfMonth) = date.components
            #expect(year == parts.year && month == parts.month && dayOfMonth == parts.day)
            #expect(date.dayOfWeek == parts.weekday! - 1)
            #expect(LocalDate(year: year, month: month, day: dayOfMonth) == date)
        }
    }

    @Test("WallClockTime accepts HH:mm and 24:00 only")
    func wallClockTime() {
        #expect(WallClockTime("00:00")?.minuteOfDay == 0)
        #expect(WallClockTime("23:59")?.minuteOfDay == 1439)
        #expect(WallClockTime("24:00") == .endOfDay)
        #expect(WallClockTime("24:01") == nil)
        #expect(WallClockTime("9:00") == nil)
        #expect(WallClockTime("09:60") == nil)
        #expect(WallClockTime("ab:cd") == nil)
        #expect(WallClockTime(minuteOfDay: 545)?.description == "09:05")
    }

    @Test("RFC 3339 instants: whole-second UTC out, any offset and fraction in")
    func instants() {
        #expect(RFC3339Instant.string(from: Fixtures.instant("2026-03-10T14:00:00Z")) == "2026-03-10T14:00:00Z")
        #expect(RFC3339Instant.date(from: "2026-03-10T09:00:00-05:00") == Fixtures.instant("2026-03-10T14:00:00Z"))
        #expect(RFC3339Instant.date(from: "2026-03-10T19:45:00+05:45") == Fixtures.instant("2026-03-10T14:00:00Z"))
        #expect(RFC3339Instant.date(from: "2026-03-10T14:00:00.250Z")?.timeIntervalSince1970 == Fixtures.instant("2026-03-10T14:00:00Z").timeIntervalSince1970 + 0.25)
        #expect(RFC3339Instant.date(from: "2026-03-10 14:00:00Z") == nil)
        #expect(RFC3339Instant.date(from: "2026-03-10T14:00:00") == nil)
        #expect(RFC3339Instant.date(from: "2026-03-10T14:00:00+0500") == nil)
        #expect(RFC3339Instant.string(fromEpochSeconds: -1) == "1969-12-31T23:59:59Z")
    }

    @Test("weekly rules and overrides encode in the contract's snake_case shape")
    func ruleShapes() throws {
        let rules = [Fixtures.rule(1, "09:00", "24:00")]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(rules), as: UTF8.self)
        #expect(json == #"[{"day_of_week":1,"end_time":"24:00","start_time":"09:00"}]"#)
        let decoded = try JSONDecoder().decode([WeeklyRule].self, from: Data(json.utf8))
        #expect(decoded == rules)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WeeklyRule.self, from: Data(#"{"day_of_week":1,"start_time":"9:00","end_time":"10:00"}"#.utf8))
        }
        let override = try JSONDecoder().decode(DateOverride.self, from: Data(#"{"date":"2024-03-10","intervals":[]}"#.utf8))
        #expect(override.date == Fixtures.date("2024-03-10") && override.intervals.isEmpty)
    }

    @Test("a meeting type decodes from the resource with the contract's defaults")
    func meetingTypeShape() throws {
        let body = #"{"id":"00000000-0000-0000-0000-0000000000a1","user_id":"00000000-0000-0000-0000-0000000000b1","name":"Intro","slug":"intro","duration_minutes":30}"#
        let type = try JSONDecoder().decode(MeetingType.self, from: Data(body.utf8))
        #expect(type == Fixtures.meetingType(duration: 30))
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(type)) as? [String: Any]
        #expect(encoded?["slot_interval_minutes"] as? Int == 15)
        #expect(encoded?["max_days_in_future"] as? Int == 60)
        #expect(encoded?["max_bookings_per_day"] is NSNull)
        #expect(encoded?["is_active"] as? Bool == true)
    }

    @Test("slots, bookings and hosts carry instants as whole-second UTC strings")
    func slotShape() throws {
        let slot = Slot(
            start: Fixtures.instant("2026-03-10T14:00:00Z"), end: Fixtures.instant("2026-03-10T14:30:00Z"),
            localStart: WallClockTime("10:00")!, localEnd: WallClockTime("10:30")!
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(slot), as: UTF8.self)
        #expect(json == #"{"end":"10:30","end_time":"2026-03-10T14:30:00Z","start":"10:00","start_time":"2026-03-10T14:00:00Z"}"#)
        #expect(try JSONDecoder().decode(Slot.self, from: Data(json.utf8)) == slot)
        let day = String(decoding: try encoder.encode(DaySlots(date: Fixtures.date("2026-03-10"), slots: [])), as: UTF8.self)
        #expect(day == #"{"date":"2026-03-10","slots":[]}"#)

        let booking = Fixtures.booking("2026-03-10T14:00:00Z", "2026-03-10T14:30:00Z", before: 5, after: 10)
        #expect(try JSONDecoder().decode(ConfirmedBooking.self, from: encoder.encode(booking)) == booking)
        let busy = try JSONDecoder().decode(BusyInterval.self, from: Data(#"{"start_time":"2026-03-10T10:00:00-04:00","end_time":"2026-03-10T15:00:00Z"}"#.utf8))
        #expect(busy == Fixtures.busy("2026-03-10T14:00:00Z", "2026-03-10T15:00:00Z"))

        let host = SchedulingHost(id: Fixtures.hostID, timeZone: Fixtures.zone("Asia/Kolkata"))
        let hostJSON = String(decoding: try encoder.encode(host), as: UTF8.self)
        #expect(hostJSON == #"{"id":"00000000-0000-0000-0000-0000000000B1","time_zone":"Asia\/Kolkata"}"#)
        #expect(try JSONDecoder().decode(SchedulingHost.self, from: Data(hostJSON.utf8)) == host)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SchedulingHost.self, from: Data(#"{"id":"00000000-0000-0000-0000-0000000000B1","time_zone":"Mars/Olympus"}"#.utf8))
        }
    }

    @Test("validation: overlapping windows and windows that do not end after they start")
    func validation() {
        let good = Fixtures.rules(1...5, "09:00", "12:00") + Fixtures.rules(1...5, "12:00", "24:00") + [Fixtures.rule(2, "00:00", "01:00")]
        #expect(ScheduleViolation.violations(ofWeeklyRules: good).isEmpty)
        let bad = [
            Fixtures.rule(1, "09:00", "17:00"), Fixtures.rule(1, "10:00", "11:00"), Fixtures.rule(1, "12:00", "13:00"),
            Fixtures.rule(2, "10:00", "10:00"), Fixtures.rule(7, "10:00", "11:00"), Fixtures.rule(3, "22:00", "02:00"),
        ]
        #expect(ScheduleViolation.violations(ofWeeklyRules: bad).map(\.field) == [
            "rules[1].start_time", "rules[2].start_time", "rules[3].end_time", "rules[4].day_of_week", "rules[5].end_time",
        ])
        #expect(ScheduleViolation.violations(ofOverrideIntervals: []).isEmpty)
        #expect(ScheduleViolation.violations(ofOverrideIntervals: [Fixtures.window("09:00", "10:00"), Fixtures.window("09:30", "11:00")]).map(\.field) == ["intervals[1].start_time"])
        #expect(ScheduleViolation.violations(of: Fixtures.meetingType()).isEmpty)
        #expect(ScheduleViolation.violations(of: Fixtures.meetingType(duration: 0, interval: -5, cap: 0)).map(\.field) == [
            "duration_minutes", "slot_interval_minutes", "max_bookings_per_day",
        ])
    }
}
