import Foundation
import Testing
@testable import SchedulingCore

@Suite("Slot generation rules")
struct SlotGeneratorTests {
    private let newYork = Fixtures.zone("America/New_York")
    private let utc = Fixtures.zone("UTC")

    /// Slots of one UTC-hosted date listed in UTC, as `HH:mm` starts.
    private func utcDay(
        _ type: MeetingType, rules: [WeeklyRule], overrides: [DateOverride] = [], bookings: [ConfirmedBooking] = [],
        busy: [BusyInterval] = [], date: String = "2024-06-04", now: Date? = nil
    ) -> [String] {
        let generator = SlotGenerator(meetingType: type, hostTimeZone: utc, weeklyRules: rules, overrides: overrides, bookings: bookings, externalBusy: busy)
        return Fixtures.localStarts(generator.slots(on: Fixtures.date(date), in: utc, now: now ?? Fixtures.farPast(before: date)))
    }

    // 2024-06-04 is a Tuesday (2).

    @Test("candidates step by the interval from the window's start and must fit in the window")
    func gridAndFit() {
        let type = Fixtures.meetingType(duration: 60, interval: 45)
        #expect(utcDay(type, rules: [Fixtures.rule(2, "09:00", "12:00")]) == ["09:00", "09:45", "10:30"])
        #expect(utcDay(Fixtures.meetingType(duration: 30, interval: 15), rules: [Fixtures.rule(2, "09:10", "10:00")]) == ["09:10", "09:25"])
        #expect(utcDay(Fixtures.meetingType(duration: 90), rules: [Fixtures.rule(2, "09:00", "10:00")]).isEmpty)
        #expect(utcDay(type, rules: [Fixtures.rule(3, "09:00", "12:00")]).isEmpty)
    }

    @Test("touching windows act as one window")
    func touchingWindowsMerge() {
        let type = Fixtures.meetingType(duration: 60, interval: 45)
        let rules = [Fixtures.rule(2, "09:00", "12:00"), Fixtures.rule(2, "12:00", "15:00")]
        #expect(utcDay(type, rules: rules) == ["09:00", "09:45", "10:30", "11:15", "12:00", "12:45", "13:30"])
        // Separate windows keep separate grids.
        let apart = [Fixtures.rule(2, "09:00", "12:00"), Fixtures.rule(2, "12:05", "15:00")]
        #expect(utcDay(type, rules: apart) == ["09:00", "09:45", "10:30", "12:05", "12:50", "13:35"])
    }

    @Test("a window ending at 24:00 joins the next day's window starting at 00:00")
    func acrossMidnight() {
        let type = Fixtures.meetingType(duration: 60, interval: 30)
        let rules = [Fixtures.rule(1, "22:00", "24:00"), Fixtures.rule(2, "00:00", "02:00")]
        #expect(utcDay(type, rules: rules, date: "2024-06-03") == ["22:00", "22:30", "23:00", "23:30"])
        #expect(utcDay(type, rules: rules, date: "2024-06-04") == ["00:00", "00:30", "01:00"])
        // Without the Tuesday window the Monday one cannot hold a slot past midnight.
        #expect(utcDay(type, rules: [Fixtures.rule(1, "22:00", "24:00")], date: "2024-06-03") == ["22:00", "22:30", "23:00"])
    }

    @Test("the grid runs through absolute time and restarts at midnight once a window has been open 24 hours")
    func gridRestartsAtMidnight() {
        let type = Fixtures.meetingType(duration: 25, interval: 25)
        // Open around the clock: every day's grid starts at its midnight.
        let allDay = Fixtures.rules(0...6, "00:00", "24:00")
        let day = utcDay(type, rules: allDay)
        // 00:00, 00:25, … 23:45 (which runs into the next day's open hours): 58 starts.
        #expect(day.first == "00:00" && day[1] == "00:25" && day.last == "23:45" && day.count == 58)
        // Monday 10:10 to Wednesday: Tuesday continues Monday's grid (open < 24 h at Tuesday's midnight)...
        let rules = [Fixtures.rule(1, "10:10", "24:00"), Fixtures.rule(2, "00:00", "24:00"), Fixtures.rule(3, "00:00", "12:00")]
        // Tuesday's midnight is 830 min after Monday 10:10 = 33.2 steps: its first start is 10:10 + 34 × 25 min = 00:20.
        #expect(utcDay(type, rules: rules, date: "2024-06-04").first == "00:20")
        // ...Wednesday restarts at its midnight (open 37 h 50 m there).
        #expect(utcDay(type, rules: rules, date: "2024-06-05").first == "00:00")
    }

    @Test("busy time removes candidates and never shifts the grid; touching busy time does not block")
    func busyDoesNotShiftGrid() {
        let type = Fixtures.meetingType(duration: 30, interval: 15)
        let rules = [Fixtures.rule(2, "09:00", "11:00")]
        let booking = Fixtures.booking("2024-06-04T09:10:00Z", "2024-06-04T09:50:00Z")
        #expect(utcDay(type, rules: rules, bookings: [booking]) == ["10:00", "10:15", "10:30"])
        let touching = Fixtures.booking("2024-06-04T09:00:00Z", "2024-06-04T10:00:00Z")
        #expect(utcDay(type, rules: rules, bookings: [touching]) == ["10:00", "10:15", "10:30"])
        let external = Fixtures.busy("2024-06-04T10:29:00Z", "2024-06-04T10:31:00Z")
        #expect(utcDay(type, rules: rules, busy: [external]) == ["09:00", "09:15", "09:30", "09:45"])
    }

    @Test("the meeting type's buffers widen the candidate; buffers may fall outside the host's hours")
    func meetingTypeBuffers() {
        let type = Fixtures.meetingType(duration: 30, interval: 15, before: 15, after: 10)
        let rules = [Fixtures.rule(2, "09:00", "11:00")]
        #expect(utcDay(type, rules: rules) == ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30"])
        let booking = Fixtures.booking("2024-06-04T10:00:00Z", "2024-06-04T10:30:00Z")
        // Blocked: any start whose [start-15m, start+40m) meets [10:00, 10:30).
        #expect(utcDay(type, rules: rules, bookings: [booking]) == ["09:00", "09:15"])
        // Busy time just outside the hours still blocks through the buffer.
        let early = Fixtures.busy("2024-06-04T08:50:00Z", "2024-06-04T08:55:00Z")
        #expect(utcDay(type, rules: rules, busy: [early]).first == "09:15")
    }

    @Test("each booking is busy over its own stored buffers, whatever the meeting type says now")
    func bookingBuffers() {
        let type = Fixtures.meetingType(duration: 30, interval: 15)
        let rules = [Fixtures.rule(2, "09:00", "12:00")]
        let booking = Fixtures.booking("2024-06-04T10:00:00Z", "2024-06-04T10:30:00Z", type: Fixtures.otherTypeID, before: 30, after: 15)
        // Busy [09:30, 10:45).
        #expect(utcDay(type, rules: rules, bookings: [booking]) == ["09:00", "10:45", "11:00", "11:15", "11:30"])
    }

    @Test("minimum notice: start >= now + notice")
    func minimumNotice() {
        let type = Fixtures.meetingType(duration: 30, interval: 30, notice: 60)
        let rules = [Fixtures.rule(2, "09:00", "12:00")]
        #expect(utcDay(type, rules: rules, now: Fixtures.instant("2024-06-04T09:00:00Z")) == ["10:00", "10:30", "11:00", "11:30"])
        #expect(utcDay(type, rules: rules, now: Fixtures.instant("2024-06-04T09:00:01Z")) == ["10:30", "11:00", "11:30"])
        #expect(utcDay(type, rules: rules, now: Fixtures.instant("2024-06-05T09:00:00Z")).isEmpty)
    }

    @Test("booking window: start < now + max_days_in_future × 24 h")
    func bookingWindow() {
        let type = Fixtures.meetingType(duration: 30, interval: 30, maxDays: 2)
        let rules = [Fixtures.rule(2, "09:00", "12:00")]
        #expect(utcDay(type, rules: rules, now: Fixtures.instant("2024-06-02T10:00:00Z")) == ["09:00", "09:30"])
        #expect(utcDay(type, rules: rules, now: Fixtures.instant("2024-06-02T10:00:01Z")) == ["09:00", "09:30", "10:00"])
        #expect(utcDay(type, rules: rules, now: Fixtures.instant("2024-05-01T00:00:00Z")).isEmpty)
    }

    @Test("daily cap counts confirmed bookings of this meeting type on the host-local day")
    func dailyCap() throws {
        let type = Fixtures.meetingType(duration: 30, interval: 60, cap: 2)
        let rules = Fixtures.rules(0...6, "09:00", "12:00")
        let generator = { (bookings: [ConfirmedBooking]) in
            SlotGenerator(meetingType: type, hostTimeZone: self.newYork, weeklyRules: rules, bookings: bookings)
        }
        let day = Fixtures.date("2024-06-04")
        let now = Fixtures.farPast(before: "2024-06-04")
        // One of this type that day: still open.
        let one = [Fixtures.booking("2024-06-04T13:00:00Z", "2024-06-04T13:30:00Z")]
        #expect(Fixtures.localStarts(generator(one).slots(on: day, in: newYork, now: now)) == ["10:00", "11:00"])
        // Two of this type: closed. Another type's booking does not count.
        let two = one + [Fixtures.booking("2024-06-04T20:00:00Z", "2024-06-04T20:30:00Z")]
        #expect(generator(two).slots(on: day, in: newYork, now: now).isEmpty)
        let mixed = one + [Fixtures.booking("2024-06-04T20:00:00Z", "2024-06-04T20:30:00Z", type: Fixtures.otherTypeID)]
        #expect(Fixtures.localStarts(generator(mixed).slots(on: day, in: newYork, now: now)) == ["10:00", "11:00"])
        // 2024-06-05T02:00Z is still June 4 in New York: it counts for June 4, not June 5.
        let lateEvening = one + [Fixtures.booking("2024-06-05T02:00:00Z", "2024-06-05T02:30:00Z")]
        #expect(generator(lateEvening).slots(on: day, in: newYork, now: now).isEmpty)
        #expect(generator(lateEvening).slots(on: day.adding(days: 1), in: newYork, now: now).count == 3)
    }

    @Test("an override replaces that date's rules; an empty override closes the day")
    func overrides() {
        let type = Fixtures.meetingType(duration: 60, interval: 60)
        let rules = Fixtures.rules(0...6, "09:00", "12:00")
        let open = DateOverride(date: Fixtures.date("2024-06-04"), intervals: [Fixtures.window("14:00", "16:00"), Fixtures.window("18:00", "19:00")])
        #expect(utcDay(type, rules: rules, overrides: [open]) == ["14:00", "15:00", "18:00"])
        #expect(utcDay(type, rules: rules, overrides: [open], date: "2024-06-05") == ["09:00", "10:00", "11:00"])
        let closed = DateOverride(date: Fixtures.date("2024-06-04"), intervals: [])
        #expect(utcDay(type, rules: rules, overrides: [closed]).isEmpty)
    }

    @Test("inactive meeting types offer nothing")
    func inactive() {
        #expect(utcDay(Fixtures.meetingType(active: false), rules: Fixtures.rules(0...6, "09:00", "12:00")).isEmpty)
    }

    @Test("an invitee date far from the host's zone gathers slots from two host dates")
    func farApartZones() {
        // Host in Tokyo (+09:00), 09:00-17:00 every day = 00:00-08:00 UTC; invitee in Los Angeles (-07:00 in June).
        let generator = SlotGenerator(
            meetingType: Fixtures.meetingType(duration: 60, interval: 60), hostTimeZone: Fixtures.zone("Asia/Tokyo"),
            weeklyRules: Fixtures.rules(0...6, "09:00", "17:00") + [Fixtures.rule(2, "20:00", "22:00")]
        )
        let la = Fixtures.zone("America/Los_Angeles")
        let slots = generator.slots(on: Fixtures.date("2024-06-04"), in: la, now: Fixtures.farPast(before: "2024-06-04"))
        // LA June 4 = 07:00Z June 4 .. 07:00Z June 5: Tokyo June 4 07:00Z (16:00 JST), Tokyo Tuesday evening 11:00-12:00Z, Tokyo June 5 00:00-07:00Z.
        #expect(Fixtures.utcStarts(slots) == [
            "2024-06-04T07:00:00Z", "2024-06-04T11:00:00Z", "2024-06-04T12:00:00Z",
            "2024-06-05T00:00:00Z", "2024-06-05T01:00:00Z", "2024-06-05T02:00:00Z", "2024-06-05T03:00:00Z",
            "2024-06-05T04:00:00Z", "2024-06-05T05:00:00Z", "2024-06-05T06:00:00Z",
        ])
        #expect(Fixtures.localStarts(slots) == ["00:00", "04:00", "05:00", "17:00", "18:00", "19:00", "20:00", "21:00", "22:00", "23:00"])
        #expect(slots.first?.localEnd.description == "01:00" && slots.last?.localEnd.description == "00:00")
    }

    @Test("a range lists every date, empty ones included, each ascending")
    func rangeListsEveryDate() {
        let generator = SlotGenerator(meetingType: Fixtures.meetingType(duration: 60, interval: 60), hostTimeZone: newYork, weeklyRules: Fixtures.rules(1...5, "09:00", "11:00"))
        let days = generator.slots(from: Fixtures.date("2024-06-01"), through: Fixtures.date("2024-06-04"), in: newYork, now: Fixtures.farPast(before: "2024-06-01"))
        #expect(days.map(\.date.description) == ["2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04"])
        #expect(days.map(\.slots.count) == [0, 0, 2, 2])
        #expect(generator.slots(from: Fixtures.date("2024-06-04"), through: Fixtures.date("2024-06-01"), in: newYork, now: nil).isEmpty)
    }

    @Test("isOfferedSlot agrees with the listing: taken, off the grid, outside hours, fractional")
    func isOfferedSlot() {
        let type = Fixtures.meetingType(duration: 30, interval: 15, before: 5)
        let booking = Fixtures.booking("2024-06-04T13:30:00Z", "2024-06-04T14:00:00Z")
        let generator = SlotGenerator(meetingType: type, hostTimeZone: newYork, weeklyRules: Fixtures.rules(0...6, "09:00", "12:00"), bookings: [booking])
        let now = Fixtures.farPast(before: "2024-06-04")
        let listed = Set(generator.slots(on: Fixtures.date("2024-06-04"), in: newYork, now: now).map(\.start))
        let dayStart = Fixtures.seconds("2024-06-04T04:00:00Z")  // midnight in New York
        for minute in stride(from: 0, to: 1440, by: 5) {
            let start = Date(timeIntervalSince1970: Double(dayStart + minute * 60))
            #expect(generator.isOfferedSlot(start: start, now: now) == listed.contains(start), "\(RFC3339Instant.string(from: start))")
        }
        #expect(generator.isOfferedSlot(start: Fixtures.instant("2024-06-04T13:00:00Z"), now: now))
        #expect(!generator.isOfferedSlot(start: Fixtures.instant("2024-06-04T13:00:00.5Z"), now: now))
        #expect(!generator.isOfferedSlot(start: Fixtures.instant("2024-06-04T13:30:00Z"), now: now))
        #expect(!generator.isOfferedSlot(start: Fixtures.instant("2024-06-04T13:05:00Z"), now: now))
    }

    @Test("a rescheduled booking neither blocks its own new time nor counts against the cap")
    func rescheduleExclusion() {
        let type = Fixtures.meetingType(duration: 60, interval: 30, cap: 1)
        let moved = Fixtures.booking("2024-06-04T13:00:00Z", "2024-06-04T14:00:00Z", after: 30)
        let rules = Fixtures.rules(0...6, "09:00", "12:00")
        let now = Fixtures.farPast(before: "2024-06-04")
        let target = Fixtures.instant("2024-06-04T13:30:00Z")
        let withIt = SlotGenerator(meetingType: type, hostTimeZone: newYork, weeklyRules: rules, bookings: [moved])
        #expect(!withIt.isOfferedSlot(start: target, now: now))
        let without = SlotGenerator(meetingType: type, hostTimeZone: newYork, weeklyRules: rules, bookings: [moved], excludingBooking: moved.id)
        #expect(without.isOfferedSlot(start: target, now: now))
        #expect(without.slots(on: Fixtures.date("2024-06-04"), in: newYork, now: now).count == 5)
    }

    @Test("slots computed without `now` and filtered by admitsStart equal slots computed with it")
    func cacheFilteringMatches() {
        let type = Fixtures.meetingType(duration: 30, interval: 15, notice: 95, maxDays: 3)
        let generator = SlotGenerator(meetingType: type, hostTimeZone: newYork, weeklyRules: Fixtures.rules(0...6, "08:00", "18:00"))
        let cached = generator.slots(from: Fixtures.date("2024-06-03"), through: Fixtures.date("2024-06-08"), in: utc, now: nil)
        for now in ["2024-06-04T13:07:30Z", "2024-06-03T00:00:00Z", "2024-06-05T21:59:59Z"].map(Fixtures.instant) {
            let fresh = generator.slots(from: Fixtures.date("2024-06-03"), through: Fixtures.date("2024-06-08"), in: utc, now: now)
            #expect(fresh.map { $0.slots } == cached.map { $0.slots.filter { type.admitsStart($0.start, now: now) } })
        }
    }
}
