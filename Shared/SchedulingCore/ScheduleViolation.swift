/// One reason a schedule or meeting type breaks the contract: a field path and a message,
/// ready for a `validation_failed` problem's `errors` list.
package struct ScheduleViolation: Hashable, Sendable, CustomStringConvertible {
    /// The offending field, e.g. `rules[2].end_time`.
    package var field: String
    /// What is wrong, for a person.
    package var message: String

    /// A violation of `field`.
    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`.
    package var description: String { "\(field): \(message)" }

    /// What is wrong with a weekly schedule (empty when valid): days outside 0...6, a window
    /// whose end is not after its start (one cannot cross midnight: end it at `24:00`), and
    /// windows of one day that overlap (touching is fine).
    package static func violations(ofWeeklyRules rules: [WeeklyRule], field: String = "rules") -> [ScheduleViolation] {
        var found: [ScheduleViolation] = []
        for (index, rule) in rules.enumerated() {
            if !(0...6).contains(rule.dayOfWeek) {
                found.append(ScheduleViolation(field: "\(field)[\(index)].day_of_week", message: "must be 0 (Sunday) to 6 (Saturday)"))
            }
            if rule.endTime <= rule.startTime {
                found.append(ScheduleViolation(field: "\(field)[\(index)].end_time", message: "must be after start_time (a window cannot cross midnight: end it at 24:00)"))
            }
        }
        found += overlaps(rules.enumerated().map { ($0.offset, $0.element.dayOfWeek, $0.element.window) }, field: field)
        return inIndexOrder(found)
    }

    /// What is wrong with one date's override intervals (empty when valid; an empty list is valid).
    package static func violations(ofOverrideIntervals intervals: [WallClockWindow], field: String = "intervals") -> [ScheduleViolation] {
        var found: [ScheduleViolation] = []
        for (index, window) in intervals.enumerated() where window.endTime <= window.startTime {
            found.append(ScheduleViolation(field: "\(field)[\(index)].end_time", message: "must be after start_time (a window cannot cross midnight: end it at 24:00)"))
        }
        found += overlaps(intervals.enumerated().map { ($0.offset, 0, $0.element) }, field: field)
        return inIndexOrder(found)
    }

    /// What is wrong with a meeting type's scheduling fields (empty when valid).
    package static func violations(of type: MeetingType) -> [ScheduleViolation] {
        var found: [ScheduleViolation] = []
        if type.durationMinutes <= 0 || type.durationMinutes > 1440 {
            found.append(ScheduleViolation(field: "duration_minutes", message: "must be 1 to 1440"))
        }
        if type.slotIntervalMinutes <= 0 || type.slotIntervalMinutes > 1440 {
            found.append(ScheduleViolation(field: "slot_interval_minutes", message: "must be 1 to 1440"))
        }
        for (field, value) in [("buffer_before_minutes", type.bufferBeforeMinutes), ("buffer_after_minutes", type.bufferAfterMinutes)]
        where value < 0 || value > 1440 {
            found.append(ScheduleViolation(field: field, message: "must be 0 to 1440"))
        }
        if type.minNoticeMinutes < 0 || type.minNoticeMinutes > 525_600 {
            found.append(ScheduleViolation(field: "min_notice_minutes", message: "must be 0 to 525600"))
        }
        if type.maxDaysInFuture < 1 || type.maxDaysInFuture > 3650 {
            found.append(ScheduleViolation(field: "max_days_in_future", message: "must be 1 to 3650"))
        }
        if let cap = type.maxBookingsPerDay, cap < 1 {
            found.append(ScheduleViolation(field: "max_bookings_per_day", message: "must be at least 1"))
        }
        return found
    }

    /// Overlapping well-formed windows of the same day, reported on the later one.
    private static func overlaps(_ windows: [(index: Int, day: Int, window: WallClockWindow)], field: String) -> [ScheduleViolation] {
        let ordered = windows.filter { $0.window.startTime < $0.window.endTime }
            .sorted { ($0.day, $0.window.startTime, $0.index) < ($1.day, $1.window.startTime, $1.index) }
        var found: [ScheduleViolation] = []
        var day = Int.min
        var latestEnd = WallClockTime.startOfDay
        for entry in ordered {
            if entry.day != day {
                day = entry.day
                latestEnd = entry.window.endTime
                continue
            }
            if entry.window.startTime < latestEnd {
                found.append(ScheduleViolation(field: "\(field)[\(entry.index)].start_time", message: "overlaps another window of the same day"))
            }
            latestEnd = max(latestEnd, entry.window.endTime)
        }
        return found
    }

    /// Sorted by the list index in the field path (`rules[10]` after `rules[9]`), stable otherwise.
    private static func inIndexOrder(_ violations: [ScheduleViolation]) -> [ScheduleViolation] {
        func index(_ field: String) -> Int {
            guard let open = field.firstIndex(of: "["), let close = field.firstIndex(of: "]") else { return -1 }
            return Int(field[field.index(after: open)..<close]) ?? -1
        }
        return violations.enumerated().sorted { (index($0.element.field), $0.offset) < (index($1.element.field), $1.offset) }.map(\.element)
    }
}
