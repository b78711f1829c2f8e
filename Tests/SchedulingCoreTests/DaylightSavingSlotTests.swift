import Foundation
import Testing
@testable import SchedulingCore

@Suite("Slots on the days a zone skips or repeats time")
struct DaylightSavingSlotTests {
    /// Slots of `date` for a host in `zone` with `rules`, listed in `listing` (the host's zone by default).
    private func slots(
        _ zone: String, _ date: String, rules: [WeeklyRule], duration: Int = 60, interval: Int = 60, listing: String? = nil
    ) -> [Slot] {
        let generator = SlotGenerator(
            meetingType: Fixtures.meetingType(duration: duration, interval: interval),
            hostTimeZone: Fixtures.zone(zone), weeklyRules: rules
        )
        return generator.slots(on: Fixtures.date(date), in: Fixtures.zone(listing ?? zone), now: Fixtures.farPast(before: date))
    }

    @Test("New York spring forward: 01:00-04:00 on 2024-03-10 is 2 real hours; no slot at 02:xx")
    func newYorkSpringForward() {
        let result = slots("America/New_York", "2024-03-10", rules: [Fixtures.rule(0, "01:00", "04:00")], duration: 30, interval: 30)
        #expect(Fixtures.utcStarts(result) == ["2024-03-10T06:00:00Z", "2024-03-10T06:30:00Z", "2024-03-10T07:00:00Z", "2024-03-10T07:30:00Z"])
        #expect(Fixtures.localStarts(result) == ["01:00", "01:30", "03:00", "03:30"])
        // A window wholly inside the skipped hour has no time at all.
        #expect(slots("America/New_York", "2024-03-10", rules: [Fixtures.rule(0, "02:00", "03:00")], duration: 15, interval: 15).isEmpty)
        // A window starting in the gap starts when the gap ends.
        #expect(Fixtures.localStarts(slots("America/New_York", "2024-03-10", rules: [Fixtures.rule(0, "02:30", "04:00")], duration: 30, interval: 30)) == ["03:00", "03:30"])
    }

    @Test("New York fall back: 01:00-02:00 on 2024-11-03 covers both occurrences of the repeated hour")
    func newYorkFallBack() {
        let result = slots("America/New_York", "2024-11-03", rules: [Fixtures.rule(0, "01:00", "02:00")], duration: 30, interval: 30)
        #expect(Fixtures.utcStarts(result) == ["2024-11-03T05:00:00Z", "2024-11-03T05:30:00Z", "2024-11-03T06:00:00Z", "2024-11-03T06:30:00Z"])
        #expect(Fixtures.localStarts(result) == ["01:00", "01:30", "01:00", "01:30"])
        // Two windows that meet inside the repeated hour merge into one (4 real hours from 00:00 to 03:00).
        let meeting = slots("America/New_York", "2024-11-03", rules: [Fixtures.rule(0, "00:00", "01:30"), Fixtures.rule(0, "01:30", "03:00")])
        #expect(Fixtures.utcStarts(meeting) == ["2024-11-03T04:00:00Z", "2024-11-03T05:00:00Z", "2024-11-03T06:00:00Z", "2024-11-03T07:00:00Z"])
    }

    @Test("a rule is wall-clock: Tuesday 09:00 stays 09:00 local across the DST change")
    func ruleStaysWallClock() {
        let rules = [Fixtures.rule(2, "09:00", "10:00")]
        #expect(Fixtures.utcStarts(slots("America/New_York", "2024-03-05", rules: rules)) == ["2024-03-05T14:00:00Z"])
        #expect(Fixtures.utcStarts(slots("America/New_York", "2024-03-12", rules: rules)) == ["2024-03-12T13:00:00Z"])
        #expect(Fixtures.utcStarts(slots("America/New_York", "2024-11-05", rules: rules)) == ["2024-11-05T14:00:00Z"])
        #expect(Fixtures.localStarts(slots("America/New_York", "2024-03-12", rules: rules)) == ["09:00"])
    }

    @Test("an invitee's 23- and 25-hour days list 23 and 25 hourly slots of an always-open host")
    func inviteeDayLengths() {
        let allDay = Fixtures.rules(0...6, "00:00", "24:00")
        #expect(slots("UTC", "2024-03-10", rules: allDay, listing: "America/New_York").count == 23)
        #expect(slots("UTC", "2024-11-03", rules: allDay, listing: "America/New_York").count == 25)
        #expect(slots("UTC", "2024-06-03", rules: allDay, listing: "America/New_York").count == 24)
    }

    @Test("London: 00:00-03:00 on 2024-03-31 is 2 hours; 01:00-02:00 on 2024-10-27 is 2 hours")
    func london() {
        let spring = slots("Europe/London", "2024-03-31", rules: [Fixtures.rule(0, "00:00", "03:00")])
        #expect(Fixtures.utcStarts(spring) == ["2024-03-31T00:00:00Z", "2024-03-31T01:00:00Z"])
        #expect(Fixtures.localStarts(spring) == ["00:00", "02:00"])
        let autumn = slots("Europe/London", "2024-10-27", rules: [Fixtures.rule(0, "01:00", "02:00")])
        #expect(Fixtures.utcStarts(autumn) == ["2024-10-27T00:00:00Z", "2024-10-27T01:00:00Z"])
        #expect(Fixtures.localStarts(autumn) == ["01:00", "01:00"])
    }

    @Test("Sydney: 02:00-03:00 vanishes on 2024-10-06 and doubles on 2024-04-07")
    func sydney() {
        #expect(slots("Australia/Sydney", "2024-10-06", rules: [Fixtures.rule(0, "02:00", "03:00")], duration: 15, interval: 15).isEmpty)
        let spring = slots("Australia/Sydney", "2024-10-06", rules: [Fixtures.rule(0, "01:00", "04:00")])
        #expect(Fixtures.utcStarts(spring) == ["2024-10-05T15:00:00Z", "2024-10-05T16:00:00Z"])
        #expect(Fixtures.localStarts(spring) == ["01:00", "03:00"])
        let autumn = slots("Australia/Sydney", "2024-04-07", rules: [Fixtures.rule(0, "02:00", "03:00")])
        #expect(Fixtures.utcStarts(autumn) == ["2024-04-06T15:00:00Z", "2024-04-06T16:00:00Z"])
        #expect(Fixtures.localStarts(autumn) == ["02:00", "02:00"])
    }

    @Test("Kolkata (+05:30): half-hour offsets carry through to other zones")
    func kolkata() {
        let rules = [Fixtures.rule(1, "09:00", "11:00")]
        let local = slots("Asia/Kolkata", "2024-06-03", rules: rules)
        #expect(Fixtures.utcStarts(local) == ["2024-06-03T03:30:00Z", "2024-06-03T04:30:00Z"])
        #expect(Fixtures.localStarts(local) == ["09:00", "10:00"])
        // In New York (-04:00) those are 23:30 and 00:30 across two dates.
        #expect(Fixtures.localStarts(slots("Asia/Kolkata", "2024-06-02", rules: rules, listing: "America/New_York")) == ["23:30"])
        #expect(Fixtures.localStarts(slots("Asia/Kolkata", "2024-06-03", rules: rules, listing: "America/New_York")) == ["00:30"])
    }

    @Test("Chatham (+12:45/+13:45): the 02:45 skip and the repeated 02:45-03:45")
    func chatham() {
        let spring = slots("Pacific/Chatham", "2024-09-29", rules: [Fixtures.rule(0, "02:00", "04:00")], duration: 30, interval: 15)
        #expect(Fixtures.utcStarts(spring) == ["2024-09-28T13:15:00Z", "2024-09-28T13:30:00Z", "2024-09-28T13:45:00Z"])
        #expect(Fixtures.localStarts(spring) == ["02:00", "02:15", "02:30"])
        let autumn = slots("Pacific/Chatham", "2024-04-07", rules: [Fixtures.rule(0, "02:45", "03:45")])
        #expect(Fixtures.utcStarts(autumn) == ["2024-04-06T13:00:00Z", "2024-04-06T14:00:00Z"])
        #expect(Fixtures.localStarts(autumn) == ["02:45", "02:45"])
    }

    @Test("Apia skipped 2011-12-30: no slots that date, its neighbours stay whole and join across it")
    func apiaSkippedDay() {
        let zone = "Pacific/Apia"
        let generator = SlotGenerator(
            meetingType: Fixtures.meetingType(duration: 60, interval: 60), hostTimeZone: Fixtures.zone(zone),
            weeklyRules: Fixtures.rules(0...6, "09:00", "17:00")
        )
        let days = generator.slots(from: Fixtures.date("2011-12-29"), through: Fixtures.date("2011-12-31"), in: Fixtures.zone(zone), now: Fixtures.farPast(before: "2011-12-29"))
        #expect(days.map(\.slots.count) == [8, 0, 8])
        #expect(days[0].slots.first.map { RFC3339Instant.string(from: $0.start) } == "2011-12-29T19:00:00Z")
        #expect(days[2].slots.first.map { RFC3339Instant.string(from: $0.start) } == "2011-12-30T19:00:00Z")
        // Thursday and Saturday open all day: one 48-hour window across the missing Friday; in UTC
        // the 30th has 24 hourly slots, and a 25-minute grid restarts at Saturday's midnight (10:00Z).
        let allDay = [Fixtures.rule(4, "00:00", "24:00"), Fixtures.rule(6, "00:00", "24:00")]
        #expect(slots(zone, "2011-12-30", rules: allDay, listing: "UTC").count == 24)
        let odd = slots(zone, "2011-12-30", rules: allDay, duration: 25, interval: 25, listing: "UTC")
        #expect(Fixtures.utcStarts(odd).contains("2011-12-30T10:00:00Z"))
        #expect(Fixtures.utcStarts(odd).contains("2011-12-30T09:45:00Z"))  // 10:00Z Thursday + 57 × 25 min, the old grid
        #expect(slots(zone, "2011-12-30", rules: allDay, listing: zone).isEmpty)
    }
}
