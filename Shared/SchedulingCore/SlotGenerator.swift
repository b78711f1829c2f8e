import Foundation

/// Slot generation for one meeting type of one host: lists the offered slots of a range of
/// the invitee's dates (availability service) and answers whether an exact start is offered
/// (booking service, inside its transaction) — the same computation, so both always agree.
///
/// The rules (the contract's "how slots are computed"; docs/architecture.md gives the map):
/// - Availability windows are the weekly rules of each host-local date, or that date's
///   override instead, mapped to UTC by `ZoneOffsetTable`'s DST policy; windows that touch or
///   overlap in UTC (also across midnight) merge into one.
/// - Candidate starts step by the slot interval through absolute time from each merged
///   window's start; where a merged window has been open for 24 hours at a host-local
///   midnight, the grid restarts from that midnight. Busy time never shifts the grid.
/// - A candidate `[start, start + duration)` must fit in its merged window; widened by the
///   meeting type's buffers it must overlap no busy time (bookings widened by their own
///   stored buffers, external busy time as is); `start >= now + min_notice`;
///   `start < now + max_days_in_future × 24 h`; and the host-local day of the start must hold
///   fewer confirmed bookings of this meeting type than `max_bookings_per_day`.
///
/// The caller passes only confirmed bookings. To reschedule, pass the moved booking's id as
/// `excludingBooking` (or leave it out of `bookings`): it then neither blocks its own new
/// time nor counts against the cap.
///
/// Cost: O((b + e) log(b + e)) in the busy intervals plus O(days + candidates); Foundation's
/// time-zone API is called a handful of times per call, never per candidate.
package struct SlotGenerator: Sendable {
    /// The meeting type slots are offered for.
    package let meetingType: MeetingType
    /// The zone the host's rules and overrides are written in.
    package let hostTimeZone: TimeZone
    private let windowsByDayOfWeek: [[WallClockWindow]]
    private let overrides: [LocalDate: [WallClockWindow]]
    private let bookings: [ConfirmedBooking]
    private let externalBusy: [BusyInterval]

    /// A generator over the host's schedule and busy time.
    ///
    /// - Parameters:
    ///   - weeklyRules: the weekly schedule (rules with a `day_of_week` outside 0...6 are ignored).
    ///   - overrides: dated overrides; a date's override replaces that date's weekly rules.
    ///   - bookings: the host's confirmed bookings (all meeting types).
    ///   - externalBusy: busy time from connected calendars.
    ///   - excludingBooking: a booking to ignore entirely (the one being rescheduled).
    package init(
        meetingType: MeetingType,
        hostTimeZone: TimeZone,
        weeklyRules: [WeeklyRule],
        overrides: [DateOverride] = [],
        bookings: [ConfirmedBooking] = [],
        externalBusy: [BusyInterval] = [],
        excludingBooking excludedID: UUID? = nil
    ) {
        self.meetingType = meetingType
        self.hostTimeZone = hostTimeZone
        var byDay = [[WallClockWindow]](repeating: [], count: 7)
        for rule in weeklyRules where (0...6).contains(rule.dayOfWeek) {
            byDay[rule.dayOfWeek].append(rule.window)
        }
        windowsByDayOfWeek = byDay.map { $0.sorted { $0.startTime < $1.startTime } }
        var overridden: [LocalDate: [WallClockWindow]] = [:]
        for override in overrides {
            overridden[override.date] = override.intervals.sorted { $0.startTime < $1.startTime }
        }
        self.overrides = overridden
        self.bookings = excludedID.map { id in bookings.filter { $0.id != id } } ?? bookings
        self.externalBusy = externalBusy
    }

    /// A generator for `host` (its zone is the one its rules are written in).
    package init(
        meetingType: MeetingType,
        host: SchedulingHost,
        weeklyRules: [WeeklyRule],
        overrides: [DateOverride] = [],
        bookings: [ConfirmedBooking] = [],
        externalBusy: [BusyInterval] = [],
        excludingBooking excludedID: UUID? = nil
    ) {
        self.init(
            meetingType: meetingType, hostTimeZone: host.timeZone, weeklyRules: weeklyRules, overrides: overrides,
            bookings: bookings, externalBusy: externalBusy, excludingBooking: excludedID
        )
    }

    /// The offered slots of every date from `firstDate` through `lastDate` in `zone` (each
    /// date listed, empty ones with no slots), each day's slots ascending, with `HH:mm` in `zone`.
    ///
    /// `now: nil` skips the minimum-notice and booking-window checks (every other rule
    /// still applies): cache that answer and filter it later with `MeetingType.admitsStart(_:now:)`.
    package func slots(from firstDate: LocalDate, through lastDate: LocalDate, in zone: TimeZone, now: Date?) -> [DaySlots] {
        guard firstDate <= lastDate else { return [] }
        let firstLocal = firstDate.daysSinceEpoch * 86_400
        let endLocal = (lastDate.daysSinceEpoch + 1) * 86_400
        let invitee = ZoneOffsetTable(timeZone: zone, covering: (firstLocal - 172_800)..<(endLocal + 172_800))
        // Every instant whose local date is in range lies in this span.
        let span = (firstLocal - invitee.largestOffset)..<(endLocal - invitee.smallestOffset)
        var days = (firstDate...lastDate).map { DaySlots(date: $0, slots: []) }
        let duration = meetingType.durationMinutes * 60
        for start in offeredStarts(in: span, now: now) {
            let local = invitee.localSeconds(at: start)
            let day = local.flooredDivision(by: 86_400)
            guard day >= firstDate.daysSinceEpoch, day <= lastDate.daysSinceEpoch else { continue }
            let end = start + duration
            let localEnd = invitee.localSeconds(at: end)
            days[day - firstDate.daysSinceEpoch].slots.append(Slot(
                start: Date(timeIntervalSince1970: Double(start)),
                end: Date(timeIntervalSince1970: Double(end)),
                localStart: WallClockTime(uncheckedMinuteOfDay: (local - day * 86_400) / 60),
                localEnd: WallClockTime(uncheckedMinuteOfDay: (localEnd - localEnd.flooredDivision(by: 86_400) * 86_400) / 60)
            ))
        }
        return days
    }

    /// The offered slots of `date` in `zone`, ascending (see `slots(from:through:in:now:)`).
    package func slots(on date: LocalDate, in zone: TimeZone, now: Date?) -> [Slot] {
        slots(from: date, through: date, in: zone, now: now).first?.slots ?? []
    }

    /// Whether `start` is exactly an offered slot at `now` (whole seconds only): the booking
    /// service's check, identical to listing the slots and looking for it.
    package func isOfferedSlot(start: Date, now: Date) -> Bool {
        let seconds = start.timeIntervalSince1970
        guard seconds == seconds.rounded(), abs(seconds) < 1e15 else { return false }
        let instant = Int(seconds)
        return offeredStarts(in: instant..<(instant + 1), now: now) == [instant]
    }

    /// Offered start instants in `span` (epoch seconds), ascending.
    package func offeredStarts(in span: Range<Int>, now: Date?) -> [Int] {
        let type = meetingType
        guard type.isActive, type.durationMinutes > 0, type.slotIntervalMinutes > 0 else { return [] }
        let duration = type.durationMinutes * 60
        let step = type.slotIntervalMinutes * 60
        let bufferBefore = max(type.bufferBeforeMinutes, 0) * 60
        let bufferAfter = max(type.bufferAfterMinutes, 0) * 60

        var low = span.lowerBound
        var high = span.upperBound
        if let now {
            let reference = now.timeIntervalSince1970
            low = max(low, Int((reference + Double(type.minNoticeMinutes) * 60).rounded(.up)))
            high = min(high, Int((reference + Double(type.maxDaysInFuture) * 86_400).rounded(.up)))
        }
        guard low < high else { return [] }

        // Host dates: four days back so a window's grid origin is known (after 24 open hours
        // the grid restarts at midnight anyway), forward until the longest candidate ends.
        let host = ZoneOffsetTable(timeZone: hostTimeZone, covering: (low - 6 * 86_400)..<(high + duration + 3 * 86_400))
        let firstDate = host.localDate(at: low).adding(days: -4)
        let lastDate = host.localDate(at: high + duration).adding(days: 1)

        var midnights: [Int] = []
        midnights.reserveCapacity(firstDate.distance(to: lastDate) + 2)
        var windows: [EpochInterval] = []
        windows.reserveCapacity(midnights.capacity * 2)
        for date in firstDate...lastDate {
            midnights.append(host.instant(of: date, .startOfDay, occurrence: .earlier))
            for window in overrides[date] ?? windowsByDayOfWeek[date.dayOfWeek] where window.startTime < window.endTime {
                let open = host.instant(of: date, window.startTime, occurrence: .earlier)
                let close = host.instant(of: date, window.endTime, occurrence: .later)
                if open < close { windows.append(EpochInterval(start: open, end: close)) }
            }
        }
        midnights.append(host.instant(of: lastDate.adding(days: 1), .startOfDay, occurrence: .earlier))
        let available = IntervalSet(merging: windows).intervals

        // Busy time that can touch a candidate's buffered range.
        let reachLow = low - bufferBefore
        let reachHigh = high + duration + bufferAfter
        var busyRanges: [EpochInterval] = []
        busyRanges.reserveCapacity(bookings.count + externalBusy.count)
        var bookingsPerDay = [Int](repeating: 0, count: firstDate.distance(to: lastDate) + 1)
        for booking in bookings {
            let range = booking.busyInterval
            if range.end > reachLow && range.start < reachHigh { busyRanges.append(range) }
            if type.maxBookingsPerDay != nil, booking.meetingTypeID == type.id {
                let day = host.localDate(at: Int(booking.start.timeIntervalSince1970.rounded(.down)))
                let index = firstDate.distance(to: day)
                if index >= 0 && index < bookingsPerDay.count { bookingsPerDay[index] += 1 }
            }
        }
        for interval in externalBusy {
            let range = interval.epochInterval
            if range.end > reachLow && range.start < reachHigh { busyRanges.append(range) }
        }
        let busy = IntervalSet(merging: busyRanges).intervals
        let cap = type.maxBookingsPerDay ?? Int.max

        var starts: [Int] = []
        var busyIndex = 0
        var midnightIndex = 0
        for window in available {
            if window.start >= high { break }
            if window.end - duration < low { continue }
            // Grid origins: the window's start, then each midnight once it has been open 24 h.
            var origins = [window.start]
            while midnightIndex < midnights.count, midnights[midnightIndex] < window.start + 86_400 { midnightIndex += 1 }
            var probe = midnightIndex
            while probe < midnights.count, midnights[probe] < window.end {
                if midnights[probe] > origins[origins.count - 1] { origins.append(midnights[probe]) }
                probe += 1
            }
            for (index, origin) in origins.enumerated() {
                let segmentEnd = index + 1 < origins.count ? origins[index + 1] : window.end
                let limit = min(segmentEnd, high, window.end - duration + 1)
                var start = origin >= low ? origin : origin + (low - origin).ceilingDivision(by: step) * step
                while start < limit {
                    while busyIndex < busy.count, busy[busyIndex].end <= start - bufferBefore { busyIndex += 1 }
                    if busyIndex < busy.count, busy[busyIndex].start < start + duration + bufferAfter {
                        // Blocked: jump to the first grid point whose buffered range clears this busy interval.
                        let clear = busy[busyIndex].end + bufferBefore
                        start = max(start + step, origin + (clear - origin).ceilingDivision(by: step) * step)
                        continue
                    }
                    if cap != Int.max {
                        let index = firstDate.distance(to: host.localDate(at: start))
                        if index >= 0, index < bookingsPerDay.count, bookingsPerDay[index] >= cap {
                            start += step
                            continue
                        }
                    }
                    starts.append(start)
                    start += step
                }
            }
        }
        return starts
    }
}
