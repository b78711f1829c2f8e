import Foundation
import Testing
@testable import SchedulingCore

/// Slot generation against a brute-force oracle written independently of the engine: it
/// walks UTC minute by minute, reads every minute's offset from Foundation, finds wall times
/// by scanning those minutes, and checks each rule for each minute of the invitee's dates.
@Suite("Slot generation against a minute-by-minute oracle")
struct SlotOracleTests {
    static let zones = [
        "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "Pacific/Apia",
        "America/Havana", "Australia/Lord_Howe", "America/Santiago", "Asia/Kathmandu", "America/St_Johns",
        "Europe/Berlin", "America/Sao_Paulo", "Asia/Tehran", "UTC", "Asia/Tokyo", "America/Los_Angeles",
        "Pacific/Kiritimati", "Pacific/Pago_Pago",
    ]

    /// One random scenario.
    struct Scenario: CustomStringConvertible {
        var hostZone: TimeZone
        var inviteeZone: TimeZone
        var type: MeetingType
        var rules: [WeeklyRule]
        var overrides: [DateOverride]
        var bookings: [ConfirmedBooking]
        var busy: [BusyInterval]
        var firstDate: LocalDate
        var lastDate: LocalDate
        var now: Date?

        var description: String {
            "host \(hostZone.identifier), invitee \(inviteeZone.identifier), dates \(firstDate)...\(lastDate), now \(now.map(RFC3339Instant.string(from:)) ?? "nil"), "
                + "type dur \(type.durationMinutes) step \(type.slotIntervalMinutes) buf \(type.bufferBeforeMinutes)/\(type.bufferAfterMinutes) "
                + "notice \(type.minNoticeMinutes) days \(type.maxDaysInFuture) cap \(type.maxBookingsPerDay.map(String.init) ?? "-") active \(type.isActive), "
                + "rules \(rules.map { "\($0.dayOfWeek):\($0.startTime)-\($0.endTime)" }), overrides \(overrides.map { "\($0.date):\($0.intervals.map { "\($0.startTime)-\($0.endTime)" })" }), "
                + "bookings \(bookings.map { "\(RFC3339Instant.string(from: $0.start))+\(Int($0.end.timeIntervalSince($0.start)) / 60)m[\($0.bufferBeforeMinutes)/\($0.bufferAfterMinutes)]\($0.meetingTypeID == Fixtures.typeID ? "" : "*")" }), "
                + "busy \(busy.map { "\(RFC3339Instant.string(from: $0.start))+\(Int($0.end.timeIntervalSince($0.start)) / 60)m" })"
        }
    }

    // MARK: generating scenarios

    static func windows(_ random: inout SeededRandom) -> [WallClockWindow] {
        let grain = random.pick([1, 5, 15, 30, 60])
        var cuts = Set<Int>()
        for _ in 0..<random.int(0...6) { cuts.insert(random.int(0...(1440 / grain)) * grain) }
        if random.chance(20) { cuts.insert(0) }
        if random.chance(20) { cuts.insert(1440) }
        let sorted = cuts.sorted()
        var result: [WallClockWindow] = []
        var index = 0
        while index + 1 < sorted.count {
            // Take a pair as a window; sometimes reuse the end as the next start (touching windows).
            result.append(WallClockWindow(startTime: WallClockTime(minuteOfDay: sorted[index])!, endTime: WallClockTime(minuteOfDay: sorted[index + 1])!))
            index += random.chance(30) ? 1 : 2
        }
        return result
    }

    static func scenario(_ random: inout SeededRandom) -> Scenario {
        let hostZone = Fixtures.zone(random.pick(zones))
        let inviteeZone = random.chance(30) ? hostZone : Fixtures.zone(random.pick(zones))
        var firstDate: LocalDate
        let roll = random.int(0...99)
        if roll < 65 {
            // A day on which the host's (or the invitee's) zone changes its offset.
            let zone = roll < 45 ? hostZone : inviteeZone
            let from = Date(timeIntervalSince1970: Double(random.int(946_684_800...1_900_000_000)))
            if let transition = zone.nextDaylightSavingTimeTransition(after: from) {
                let local = Int(transition.timeIntervalSince1970) + zone.secondsFromGMT(for: transition)
                firstDate = LocalDate(daysSinceEpoch: local.flooredDivision(by: 86_400) + random.int(-1...1))
            } else {
                firstDate = LocalDate(daysSinceEpoch: random.int(10_957...23_000))
            }
        } else if roll < 72 {
            firstDate = Fixtures.date("2011-12-29").adding(days: random.int(-1...2))
        } else {
            firstDate = LocalDate(daysSinceEpoch: random.int(10_957...23_000))
        }
        let lastDate = firstDate.adding(days: random.chance(70) ? 0 : random.int(1...2))

        var rules: [WeeklyRule] = []
        switch random.int(0...9) {
        case 0:
            rules = (0...6).map { WeeklyRule(dayOfWeek: $0, startTime: .startOfDay, endTime: .endOfDay) }
        case 1:
            let window = windows(&random)
            rules = (0...6).flatMap { day in window.map { WeeklyRule(dayOfWeek: day, startTime: $0.startTime, endTime: $0.endTime) } }
        default:
            for day in 0...6 {
                rules += windows(&random).map { WeeklyRule(dayOfWeek: day, startTime: $0.startTime, endTime: $0.endTime) }
            }
        }
        var overrides: [DateOverride] = []
        if random.chance(30) {
            for _ in 0..<random.int(1...3) {
                overrides.append(DateOverride(date: firstDate.adding(days: random.int(-2...3)), intervals: windows(&random)))
            }
        }
        var seen = Set<LocalDate>()
        overrides = overrides.filter { seen.insert($0.date).inserted }

        let type = MeetingType(
            id: Fixtures.typeID, userID: Fixtures.hostID,
            durationMinutes: random.pick([5, 10, 15, 20, 25, 30, 45, 60, 90, 120, 240, 480]),
            bufferBeforeMinutes: random.pick([0, 0, 0, 5, 10, 15, 30, 60]),
            bufferAfterMinutes: random.pick([0, 0, 0, 5, 10, 15, 30, 60]),
            slotIntervalMinutes: random.pick([5, 10, 15, 15, 20, 25, 30, 45, 60, 7, 90]),
            maxBookingsPerDay: random.chance(30) ? random.int(1...3) : nil,
            minNoticeMinutes: random.pick([0, 0, 30, 120, 1440]),
            maxDaysInFuture: random.pick([60, 60, 1, 2, 7]),
            isActive: random.chance(97)
        )

        let rangeStart = firstDate.daysSinceEpoch * 1440 - 1440
        let rangeEnd = (lastDate.daysSinceEpoch + 2) * 1440
        func minute() -> Int {
            let value = random.int(rangeStart...rangeEnd)
            return random.chance(50) ? value / 15 * 15 : value
        }
        let bookings = (0..<random.int(0...12)).map { _ -> ConfirmedBooking in
            let start = minute()
            return ConfirmedBooking(
                id: UUID(), meetingTypeID: random.chance(60) ? Fixtures.typeID : Fixtures.otherTypeID,
                start: Date(timeIntervalSince1970: Double(start * 60)),
                end: Date(timeIntervalSince1970: Double((start + random.pick([5, 15, 30, 45, 60, 120])) * 60)),
                bufferBeforeMinutes: random.pick([0, 0, 5, 15, 30]), bufferAfterMinutes: random.pick([0, 0, 5, 15, 30])
            )
        }
        let busy = (0..<random.int(0...8)).map { _ -> BusyInterval in
            let start = minute()
            return BusyInterval(start: Date(timeIntervalSince1970: Double(start * 60)), end: Date(timeIntervalSince1970: Double((start + random.int(1...240)) * 60)))
        }
        let now: Date? = random.chance(15) ? nil : Date(timeIntervalSince1970: Double(random.int((rangeStart - 3 * 1440) * 60...rangeEnd * 60)))
        return Scenario(
            hostZone: hostZone, inviteeZone: inviteeZone, type: type, rules: rules, overrides: overrides,
            bookings: bookings, busy: busy, firstDate: firstDate, lastDate: lastDate, now: now
        )
    }

    // MARK: the oracle (minutes since the epoch throughout)

    /// Expected offered starts, as (invitee date, UTC minute), ascending.
    static func oracle(_ scenario: Scenario) -> [(LocalDate, Int)] {
        let type = scenario.type
        guard type.isActive else { return [] }
        let duration = type.durationMinutes
        let firstDay = scenario.firstDate.daysSinceEpoch
        let lastDay = scenario.lastDate.daysSinceEpoch
        let low = firstDay * 1440 - 16 * 60
        let high = (lastDay + 1) * 1440 + 16 * 60
        // Three days back: a run open that long has restarted its grid at a midnight before `low`.
        let horizonLow = low - 3 * 1440
        let horizonHigh = high + duration + 1440
        let tableLow = horizonLow - 3 * 1440
        let tableHigh = horizonHigh + 3 * 1440

        func offsetMinutes(_ zone: TimeZone, _ minute: Int) -> Int {
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(minute * 60))) / 60
        }
        // Host wall-clock minute of every UTC minute.
        let hostLocal = (tableLow..<tableHigh).map { $0 + offsetMinutes(scenario.hostZone, $0) }
        func local(_ minute: Int) -> Int { hostLocal[minute - tableLow] }
        /// First UTC minute whose wall clock has reached `wall`: the earlier occurrence, or the end of a skip.
        func firstReaching(_ wall: Int) -> Int {
            // Start three hours before the naive answer, backing off until the clock is still short of `wall`.
            var minute = wall - (local(wall) - wall) - 180
            while local(minute) >= wall { minute -= 180 }
            while local(minute) < wall { minute += 1 }
            return minute
        }
        /// Last UTC minute whose wall clock shows exactly `wall`, else the end of the skip.
        func lastShowing(_ wall: Int) -> Int {
            let first = firstReaching(wall)
            var found: Int?
            // No zone repeats more than three hours.
            for minute in first...(first + 180) where local(minute) == wall { found = minute }
            return found ?? first
        }

        // Availability minute by minute.
        var open = [Bool](repeating: false, count: horizonHigh - horizonLow)
        var midnights: [Int] = []
        let firstHostDay = local(horizonLow).flooredDivision(by: 1440)
        let lastHostDay = local(horizonHigh).flooredDivision(by: 1440)
        let overrides = Dictionary(uniqueKeysWithValues: scenario.overrides.map { ($0.date.daysSinceEpoch, $0.intervals) })
        for day in firstHostDay...lastHostDay {
            midnights.append(firstReaching(day * 1440))
            let dayOfWeek = ((day % 7) + 11) % 7
            let windows = overrides[day] ?? scenario.rules.filter { $0.dayOfWeek == dayOfWeek }.map(\.window)
            for window in windows {
                let start = firstReaching(day * 1440 + window.startTime.minuteOfDay)
                let end = window.endTime == .endOfDay ? firstReaching((day + 1) * 1440) : lastShowing(day * 1440 + window.endTime.minuteOfDay)
                var minute = max(start, horizonLow)
                while minute < min(end, horizonHigh) {
                    open[minute - horizonLow] = true
                    minute += 1
                }
            }
        }
        // Runs of open minutes.
        var runStart = [Int](repeating: 0, count: open.count)
        var runEnd = [Int](repeating: 0, count: open.count)
        for index in open.indices where open[index] {
            runStart[index] = index > 0 && open[index - 1] ? runStart[index - 1] : index + horizonLow
        }
        for index in open.indices.reversed() where open[index] {
            runEnd[index] = index + 1 < open.count && open[index + 1] ? runEnd[index + 1] : index + 1 + horizonLow
        }

        func hostDay(ofSeconds seconds: Double) -> Int {
            let instant = Int(seconds.rounded(.down))
            return (instant + scenario.hostZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))).flooredDivision(by: 86_400)
        }
        let sameTypeDays = scenario.bookings.filter { $0.meetingTypeID == type.id }.map { hostDay(ofSeconds: $0.start.timeIntervalSince1970) }
        let busy = scenario.bookings.map { ($0.start.timeIntervalSince1970 / 60 - Double($0.bufferBeforeMinutes), $0.end.timeIntervalSince1970 / 60 + Double($0.bufferAfterMinutes)) }
            + scenario.busy.map { ($0.start.timeIntervalSince1970 / 60, $0.end.timeIntervalSince1970 / 60) }

        var result: [(LocalDate, Int)] = []
        for minute in low..<high {
            let index = minute - horizonLow
            guard open[index], runEnd[index] >= minute + duration else { continue }
            let inviteeDay = (minute + offsetMinutes(scenario.inviteeZone, minute)).flooredDivision(by: 1440)
            guard inviteeDay >= firstDay, inviteeDay <= lastDay else { continue }
            // Grid origin: the run's start, or the latest midnight at least 24 h after it.
            var origin = runStart[index]
            for midnight in midnights where midnight >= runStart[index] + 1440 && midnight <= minute { origin = max(origin, midnight) }
            guard (minute - origin) % type.slotIntervalMinutes == 0 else { continue }
            let wantedStart = Double(minute - type.bufferBeforeMinutes)
            let wantedEnd = Double(minute + duration + type.bufferAfterMinutes)
            guard !busy.contains(where: { $0.0 < wantedEnd && wantedStart < $0.1 && $0.0 < $0.1 }) else { continue }
            if let now = scenario.now?.timeIntervalSince1970 {
                guard Double(minute * 60) >= now + Double(type.minNoticeMinutes * 60),
                      Double(minute * 60) < now + Double(type.maxDaysInFuture * 86_400) else { continue }
            }
            if let cap = type.maxBookingsPerDay {
                let day = local(minute).flooredDivision(by: 1440)
                guard sameTypeDays.filter({ $0 == day }).count < cap else { continue }
            }
            result.append((LocalDate(daysSinceEpoch: inviteeDay), minute))
        }
        return result
    }

    // MARK: the property

    @Test("random schedules, meeting types, busy sets, zones and dates (DST days included) match the oracle", arguments: 0..<8)
    func matchesOracle(batch: Int) {
        let cases = 250
        var casesWithSlots = 0
        var casesOnTransitionDays = 0
        defer {
            // The generator must exercise the rules, not agree on empty answers.
            #expect(casesWithSlots > cases / 3, "batch \(batch): only \(casesWithSlots) of \(cases) cases offered any slot")
            #expect(casesOnTransitionDays > cases / 4, "batch \(batch): only \(casesOnTransitionDays) cases on a transition day")
        }
        for index in 0..<cases {
            let seed = UInt64(20_240_310 + batch * 100_000 + index)
            var random = SeededRandom(seed: seed)
            let scenario = Self.scenario(&random)
            let expected = Self.oracle(scenario)
            if !expected.isEmpty { casesWithSlots += 1 }
            let dayStart = Date(timeIntervalSince1970: Double(scenario.firstDate.daysSinceEpoch * 86_400 - 86_400))
            let dayEnd = Double((scenario.lastDate.daysSinceEpoch + 2) * 86_400)
            if let next = scenario.hostZone.nextDaylightSavingTimeTransition(after: dayStart), next.timeIntervalSince1970 < dayEnd { casesOnTransitionDays += 1 }
            let generator = SlotGenerator(
                meetingType: scenario.type, hostTimeZone: scenario.hostZone, weeklyRules: scenario.rules,
                overrides: scenario.overrides, bookings: scenario.bookings, externalBusy: scenario.busy
            )
            let days = generator.slots(from: scenario.firstDate, through: scenario.lastDate, in: scenario.inviteeZone, now: scenario.now)
            let actual = days.flatMap { day in day.slots.map { (day.date, Int($0.start.timeIntervalSince1970) / 60) } }
            let same = actual.count == expected.count && zip(actual, expected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            #expect(same, "seed \(seed): \(scenario)\n expected \(expected.map { "\($0.0) \(RFC3339Instant.string(fromEpochSeconds: $0.1 * 60))" })\n actual   \(actual.map { "\($0.0) \(RFC3339Instant.string(fromEpochSeconds: $0.1 * 60))" })")
            if !same { return }
            // Each slot's wall-clock fields and end, in the invitee's zone.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = scenario.inviteeZone
            for slot in days.flatMap(\.slots).prefix(3) {
                let parts = calendar.dateComponents([.hour, .minute], from: slot.start)
                #expect(slot.localStart.minuteOfDay == parts.hour! * 60 + parts.minute!, "seed \(seed)")
                #expect(slot.end.timeIntervalSince(slot.start) == Double(scenario.type.durationMinutes * 60), "seed \(seed)")
            }
            // The booking service's question gives the same answers.
            if let now = scenario.now {
                let offered = Set(expected.map(\.1))
                var probes = Array(offered.prefix(4))
                for _ in 0..<6 { probes.append((expected.first?.1 ?? scenario.firstDate.daysSinceEpoch * 1440) + random.int(-300...300)) }
                for probe in probes {
                    let instant = Date(timeIntervalSince1970: Double(probe * 60))
                    let inviteeDay = (probe * 60 + scenario.inviteeZone.secondsFromGMT(for: instant)).flooredDivision(by: 86_400)
                    guard inviteeDay >= scenario.firstDate.daysSinceEpoch, inviteeDay <= scenario.lastDate.daysSinceEpoch else { continue }
                    #expect(generator.isOfferedSlot(start: instant, now: now) == offered.contains(probe), "seed \(seed): isOfferedSlot(\(RFC3339Instant.string(from: instant)))")
                }
            }
        }
    }
}
