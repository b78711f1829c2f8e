import Foundation

/// The UTC offsets of one time zone over a span of time, read from Foundation once, so that
/// converting between UTC instants and wall-clock times afterwards is integer arithmetic.
///
/// DST policy (the contract's): a wall time that occurs twice maps to its earlier instant
/// when it opens a window and to its later one when it closes a window; a wall time inside
/// a skipped span (spring forward, or a whole skipped day) maps to the instant the skip ends.
/// Outside the covered span the first and last offsets are assumed to continue.
package struct ZoneOffsetTable: Sendable {
    /// Which occurrence of a repeated wall time to take.
    package enum Occurrence: Sendable {
        /// The first occurrence (a window's start).
        case earlier
        /// The last occurrence (a window's end).
        case later
    }

    /// The zone the offsets are read from.
    package let timeZone: TimeZone
    /// Instant at which each segment starts (`Int.min` for the first).
    private var segmentStarts: [Int]
    /// Seconds east of UTC during each segment.
    private var segmentOffsets: [Int]

    /// The offsets of `timeZone` over `span` (epoch seconds).
    package init(timeZone: TimeZone, covering span: Range<Int>) {
        self.timeZone = timeZone
        let (starts, offsets) = ZoneOffsetTable.readTransitions(timeZone, span)
        if ZoneOffsetTable.agrees(timeZone, span, starts, offsets) {
            segmentStarts = starts
            segmentOffsets = offsets
        } else {
            (segmentStarts, segmentOffsets) = ZoneOffsetTable.sampleTransitions(timeZone, span)
        }
    }

    /// The smallest offset in the table, seconds east of UTC.
    package var smallestOffset: Int { segmentOffsets.min() ?? 0 }
    /// The largest offset in the table, seconds east of UTC.
    package var largestOffset: Int { segmentOffsets.max() ?? 0 }

    /// The offset in force at `instant` (epoch seconds).
    package func offset(at instant: Int) -> Int {
        segmentOffsets[segmentIndex(containing: instant)]
    }

    /// Wall-clock seconds at `instant`: epoch seconds shifted by the offset, so that
    /// `floor(local / 86400)` is the local date and the remainder the time of day.
    package func localSeconds(at instant: Int) -> Int {
        instant + offset(at: instant)
    }

    /// The local date of `instant`.
    package func localDate(at instant: Int) -> LocalDate {
        LocalDate(daysSinceEpoch: localSeconds(at: instant).flooredDivision(by: 86_400))
    }

    /// The instant of a wall-clock moment given as local seconds (`daysSinceEpoch × 86400 +
    /// second of day`), by the DST policy above.
    package func instant(localSeconds local: Int, occurrence: Occurrence) -> Int {
        // Offsets lie within ±18 h, so every solution t = local - offset is in this span.
        let first = segmentIndex(containing: local - 64_800)
        let last = segmentIndex(containing: local + 64_800)
        var earliest: Int?
        var latest: Int?
        for index in first...last {
            let candidate = local - segmentOffsets[index]
            if candidate >= segmentStarts[index] && (index + 1 == segmentStarts.count || candidate < segmentStarts[index + 1]) {
                if earliest == nil { earliest = candidate }
                latest = candidate
            }
        }
        switch occurrence {
        case .earlier: if let earliest { return earliest }
        case .later: if let latest { return latest }
        }
        // A skipped wall time: the transition that jumps over it is where the skip ends.
        if first < last {
            for index in (first + 1)...last where local - segmentOffsets[index - 1] >= segmentStarts[index]
                && local - segmentOffsets[index] < segmentStarts[index] {
                return segmentStarts[index]
            }
        }
        return local - segmentOffsets[first]
    }

    /// The instant of `time` on `date` by the DST policy above; `24:00` is the start of the next date.
    package func instant(of date: LocalDate, _ time: WallClockTime, occurrence: Occurrence) -> Int {
        if time == .endOfDay {
            // The end of a day is the instant the next date begins, whichever way its clock moves.
            return instant(localSeconds: (date.daysSinceEpoch + 1) * 86_400, occurrence: .earlier)
        }
        return instant(localSeconds: date.daysSinceEpoch * 86_400 + time.minuteOfDay * 60, occurrence: occurrence)
    }

    /// Index of the segment in force at `instant`.
    func segmentIndex(containing instant: Int) -> Int {
        if segmentStarts.count == 1 { return 0 }
        var low = 0
        var high = segmentStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if segmentStarts[middle] <= instant { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Segments from Foundation's transition list (ICU's, which includes changes of the standard offset).
    private static func readTransitions(_ zone: TimeZone, _ span: Range<Int>) -> ([Int], [Int]) {
        var starts = [Int.min]
        var offsets = [zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(span.lowerBound)))]
        var cursor = span.lowerBound
        while let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(cursor))) {
            let transition = Int(next.timeIntervalSince1970.rounded())
            guard transition > cursor, transition < span.upperBound else { break }
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(transition)))
            if offset != offsets[offsets.count - 1] {
                starts.append(transition)
                offsets.append(offset)
            }
            cursor = transition
        }
        return (starts, offsets)
    }

    /// Whether the segments match `secondsFromGMT` just before each transition and at the end.
    private static func agrees(_ zone: TimeZone, _ span: Range<Int>, _ starts: [Int], _ offsets: [Int]) -> Bool {
        for index in 1..<max(starts.count, 1) {
            if zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(starts[index] - 1))) != offsets[index - 1] { return false }
        }
        let end = max(span.lowerBound, span.upperBound - 1)
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(end))) == offsets[offsets.count - 1]
    }

    /// Segments found by sampling every 30 minutes and bisecting each change to the second.
    private static func sampleTransitions(_ zone: TimeZone, _ span: Range<Int>) -> ([Int], [Int]) {
        func offset(_ instant: Int) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))) }
        var starts = [Int.min]
        var offsets = [offset(span.lowerBound)]
        var previous = span.lowerBound
        while previous < span.upperBound {
            let sample = min(previous + 1800, span.upperBound)
            let current = offset(sample)
            if current != offsets[offsets.count - 1] {
                var low = previous
                var high = sample
                while high - low > 1 {
                    let middle = (low + high) / 2
                    if offset(middle) == current { high = middle } else { low = middle }
                }
                starts.append(high)
                offsets.append(current)
            }
            previous = sample
        }
        return (starts, offsets)
    }
}
