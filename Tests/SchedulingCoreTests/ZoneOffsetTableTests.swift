import Foundation
import Testing
@testable import SchedulingCore

@Suite("Time-zone math and the DST policy")
struct ZoneOffsetTableTests {
    /// A table around `date` in `zone`.
    private func table(_ zone: String, around date: String) -> ZoneOffsetTable {
        let middle = Fixtures.seconds(date + "T12:00:00Z")
        return ZoneOffsetTable(timeZone: Fixtures.zone(zone), covering: (middle - 5 * 86_400)..<(middle + 5 * 86_400))
    }

    private func utc(_ table: ZoneOffsetTable, _ date: String, _ time: String, _ occurrence: ZoneOffsetTable.Occurrence) -> String {
        RFC3339Instant.string(fromEpochSeconds: table.instant(of: Fixtures.date(date), WallClockTime(time)!, occurrence: occurrence))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let zone: String
        let date: String
        let time: String
        let earlier: String
        let later: String
        var testDescription: String { "\(zone) \(date) \(time)" }
    }

    @Test("wall time to UTC: earlier/later occurrence of a repeated time, gap maps to the gap's end", arguments: [
        // New York, spring forward 2024-03-10 02:00 EST -> 03:00 EDT.
        Case(zone: "America/New_York", date: "2024-03-10", time: "01:00", earlier: "2024-03-10T06:00:00Z", later: "2024-03-10T06:00:00Z"),
        Case(zone: "America/New_York", date: "2024-03-10", time: "02:00", earlier: "2024-03-10T07:00:00Z", later: "2024-03-10T07:00:00Z"),
        Case(zone: "America/New_York", date: "2024-03-10", time: "02:30", earlier: "2024-03-10T07:00:00Z", later: "2024-03-10T07:00:00Z"),
        Case(zone: "America/New_York", date: "2024-03-10", time: "03:00", earlier: "2024-03-10T07:00:00Z", later: "2024-03-10T07:00:00Z"),
        Case(zone: "America/New_York", date: "2024-03-10", time: "04:00", earlier: "2024-03-10T08:00:00Z", later: "2024-03-10T08:00:00Z"),
        // New York, fall back 2024-11-03 02:00 EDT -> 01:00 EST: 01:00-01:59 happens twice.
        Case(zone: "America/New_York", date: "2024-11-03", time: "01:00", earlier: "2024-11-03T05:00:00Z", later: "2024-11-03T06:00:00Z"),
        Case(zone: "America/New_York", date: "2024-11-03", time: "01:30", earlier: "2024-11-03T05:30:00Z", later: "2024-11-03T06:30:00Z"),
        Case(zone: "America/New_York", date: "2024-11-03", time: "02:00", earlier: "2024-11-03T07:00:00Z", later: "2024-11-03T07:00:00Z"),
        // London: 2024-03-31 01:00 GMT -> 02:00 BST; 2024-10-27 02:00 BST -> 01:00 GMT.
        Case(zone: "Europe/London", date: "2024-03-31", time: "01:30", earlier: "2024-03-31T01:00:00Z", later: "2024-03-31T01:00:00Z"),
        Case(zone: "Europe/London", date: "2024-10-27", time: "01:15", earlier: "2024-10-27T00:15:00Z", later: "2024-10-27T01:15:00Z"),
        // Sydney: 2024-04-07 03:00 AEDT -> 02:00 AEST; 2024-10-06 02:00 AEST -> 03:00 AEDT.
        Case(zone: "Australia/Sydney", date: "2024-04-07", time: "02:30", earlier: "2024-04-06T15:30:00Z", later: "2024-04-06T16:30:00Z"),
        Case(zone: "Australia/Sydney", date: "2024-10-06", time: "02:30", earlier: "2024-10-05T16:00:00Z", later: "2024-10-05T16:00:00Z"),
        // Kolkata: +05:30, no DST.
        Case(zone: "Asia/Kolkata", date: "2024-03-10", time: "09:00", earlier: "2024-03-10T03:30:00Z", later: "2024-03-10T03:30:00Z"),
        Case(zone: "Asia/Kolkata", date: "2024-03-10", time: "00:00", earlier: "2024-03-09T18:30:00Z", later: "2024-03-09T18:30:00Z"),
        // Chatham: +12:45 / +13:45; 2024-09-29 02:45 -> 03:45; 2024-04-07 03:45 -> 02:45.
        Case(zone: "Pacific/Chatham", date: "2024-09-29", time: "03:00", earlier: "2024-09-28T14:00:00Z", later: "2024-09-28T14:00:00Z"),
        Case(zone: "Pacific/Chatham", date: "2024-09-29", time: "02:00", earlier: "2024-09-28T13:15:00Z", later: "2024-09-28T13:15:00Z"),
        Case(zone: "Pacific/Chatham", date: "2024-04-07", time: "03:00", earlier: "2024-04-06T13:15:00Z", later: "2024-04-06T14:15:00Z"),
        // Apia skipped 2011-12-30 entirely (-10:00 -> +14:00 at 2011-12-30T10:00Z).
        Case(zone: "Pacific/Apia", date: "2011-12-30", time: "00:00", earlier: "2011-12-30T10:00:00Z", later: "2011-12-30T10:00:00Z"),
        Case(zone: "Pacific/Apia", date: "2011-12-30", time: "12:00", earlier: "2011-12-30T10:00:00Z", later: "2011-12-30T10:00:00Z"),
        Case(zone: "Pacific/Apia", date: "2011-12-29", time: "23:00", earlier: "2011-12-30T09:00:00Z", later: "2011-12-30T09:00:00Z"),
        Case(zone: "Pacific/Apia", date: "2011-12-31", time: "00:00", earlier: "2011-12-30T10:00:00Z", later: "2011-12-30T10:00:00Z"),
    ])
    func wallTimeToInstant(_ example: Case) {
        let offsets = table(example.zone, around: example.date)
        #expect(utc(offsets, example.date, example.time, .earlier) == example.earlier)
        #expect(utc(offsets, example.date, example.time, .later) == example.later)
    }

    @Test("24:00 is the instant the next date begins", arguments: [
        ("America/New_York", "2024-03-09", "2024-03-10T05:00:00Z"),
        ("Pacific/Apia", "2011-12-29", "2011-12-30T10:00:00Z"),
        ("Pacific/Apia", "2011-12-30", "2011-12-30T10:00:00Z"),
        // Havana repeats 00:00-00:59 on 2024-11-03 (01:00 CDT -> 00:00 CST): the day ends at the first 00:00.
        ("America/Havana", "2024-11-02", "2024-11-03T04:00:00Z"),
    ])
    func endOfDay(zone: String, date: String, expected: String) {
        let offsets = table(zone, around: date)
        #expect(utc(offsets, date, "24:00", .later) == expected)
        #expect(utc(offsets, date, "24:00", .earlier) == expected)
    }

    @Test("UTC to local date and time, against Foundation's calendar", arguments: [
        "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "Pacific/Apia",
        "Australia/Lord_Howe", "America/St_Johns", "Asia/Kathmandu", "UTC",
    ])
    func instantToLocal(zone: String) {
        let timeZone = Fixtures.zone(zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let from = Fixtures.seconds("2011-01-01T00:00:00Z")
        let to = Fixtures.seconds("2013-01-01T00:00:00Z")
        let offsets = ZoneOffsetTable(timeZone: timeZone, covering: from..<to)
        for instant in stride(from: from, to: to, by: 7 * 3600 + 17 * 60) {
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: Double(instant)))
            let local = offsets.localSeconds(at: instant)
            let date = offsets.localDate(at: instant).components
            #expect(date.year == parts.year && date.month == parts.month && date.day == parts.day, "\(zone) \(instant)")
            #expect((local - local.flooredDivision(by: 86_400) * 86_400) / 60 == parts.hour! * 60 + parts.minute!, "\(zone) \(instant)")
        }
    }

    // Chatham and Lord Howe are left out: Foundation's `nextDate` mishandles their transitions that are
    // not whole-hour shifts (it returns nil, or the wrong occurrence); their cases are checked by hand above.
    @Test("wall time to UTC agrees with Calendar's matching policies on every quarter hour of DST days", arguments: [
        ("America/New_York", "2024-03-10"), ("America/New_York", "2024-11-03"), ("Europe/London", "2024-03-31"),
        ("Europe/London", "2024-10-27"), ("Australia/Sydney", "2024-04-07"), ("Australia/Sydney", "2024-10-06"),
        ("America/Havana", "2024-11-03"), ("America/Havana", "2024-03-10"), ("Asia/Kolkata", "2024-03-10"),
    ])
    func agreesWithCalendar(zone: String, date: String) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Fixtures.zone(zone)
        let offsets = table(zone, around: date)
        let day = Fixtures.date(date)
        let (year, month, dayOfMonth) = day.components
        let searchFrom = Date(timeIntervalSince1970: Double(day.daysSinceEpoch * 86_400 - 2 * 86_400))
        for minute in stride(from: 0, to: 1440, by: 15) {
            let wall = DateComponents(year: year, month: month, day: dayOfMonth, hour: minute / 60, minute: minute % 60)
            let first = try #require(calendar.nextDate(after: searchFrom, matching: wall, matchingPolicy: .nextTime, repeatedTimePolicy: .first))
            let last = try #require(calendar.nextDate(after: searchFrom, matching: wall, matchingPolicy: .nextTime, repeatedTimePolicy: .last))
            let time = WallClockTime(minuteOfDay: minute)!
            #expect(offsets.instant(of: day, time, occurrence: .earlier) == Int(first.timeIntervalSince1970), "\(zone) \(date) \(time) earlier")
            #expect(offsets.instant(of: day, time, occurrence: .later) == Int(last.timeIntervalSince1970), "\(zone) \(date) \(time) later")
        }
    }
}
