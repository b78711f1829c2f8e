/// A set of seconds stored as sorted, disjoint, non-touching half-open intervals: the
/// interval-merge engine.
///
/// Building one sorts and merges (touching intervals merge): O(n log n) at worst, and in
/// practice linear, since large inputs are sorted by a radix sort on the start; subtraction
/// and union are linear sweeps over two sets; a point query is a binary search.
package struct IntervalSet: Hashable, Sendable {
    /// The intervals, ascending, each non-empty, with a gap between neighbours.
    package private(set) var intervals: [EpochInterval]

    /// The empty set.
    package init() {
        intervals = []
    }

    /// The union of `intervals` (empty ones are dropped). O(n log n) at worst.
    package init(merging intervals: [EpochInterval]) {
        let nonEmpty = intervals.contains { $0.isEmpty } ? intervals.filter { !$0.isEmpty } : intervals
        self.init(mergingSorted: IntervalSet.sortedByStart(nonEmpty))
    }

    /// The union of `intervals`, which must be sorted by start (empty ones are dropped). O(n).
    package init(mergingSorted sorted: [EpochInterval]) {
        var merged: [EpochInterval] = []
        for interval in sorted where !interval.isEmpty {
            if let last = merged.last, interval.start <= last.end {
                if interval.end > last.end { merged[merged.count - 1].end = interval.end }
            } else {
                merged.append(interval)
            }
        }
        self.intervals = merged
    }

    /// `intervals` ordered by start: a comparison sort for small inputs, otherwise an LSD radix
    /// sort on `start - min(start)` in 11-bit digits (two passes cover a 48-day span of seconds,
    /// three a 194-year one, six any span), so large merges stay linear.
    static func sortedByStart(_ intervals: [EpochInterval]) -> [EpochInterval] {
        guard intervals.count > 256 else { return intervals.sorted { $0.start < $1.start } }
        var lowest = Int.max
        var highest = Int.min
        for interval in intervals {
            lowest = min(lowest, interval.start)
            highest = max(highest, interval.start)
        }
        let (span, overflow) = highest.subtractingReportingOverflow(lowest)
        guard !overflow else { return intervals.sorted { $0.start < $1.start } }
        let digitBits: UInt64 = 11
        let mask: UInt64 = (1 << digitBits) - 1
        var source = intervals
        var target = intervals
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        var shift: UInt64 = 0
        while shift < 64 && UInt64(span) >> shift > 0 {
            source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    counts.withUnsafeMutableBufferPointer { slots in
                        for index in slots.indices { slots[index] = 0 }
                        for interval in from { slots[Int((UInt64(interval.start &- lowest) >> shift) & mask)] += 1 }
                        var offset = 0
                        for index in slots.indices {
                            let count = slots[index]
                            slots[index] = offset
                            offset += count
                        }
                        for interval in from {
                            let digit = Int((UInt64(interval.start &- lowest) >> shift) & mask)
                            to[slots[digit]] = interval
                            slots[digit] += 1
                        }
                    }
                }
            }
            swap(&source, &target)
            shift += digitBits
        }
        return source
    }

    /// Whether the set has no second.
    package var isEmpty: Bool { intervals.isEmpty }

    /// The seconds in `self` and not in `other`. O(n + m).
    package func subtracting(_ other: IntervalSet) -> IntervalSet {
        var result: [EpochInterval] = []
        var index = 0
        let busy = other.intervals
        for free in intervals {
            var cursor = free.start
            while index < busy.count, busy[index].end <= cursor { index += 1 }
            var probe = index
            while probe < busy.count, busy[probe].start < free.end {
                if busy[probe].start > cursor { result.append(EpochInterval(start: cursor, end: busy[probe].start)) }
                cursor = max(cursor, busy[probe].end)
                if busy[probe].end > free.end { break }
                probe += 1
            }
            if cursor < free.end { result.append(EpochInterval(start: cursor, end: free.end)) }
            index = probe
        }
        var set = IntervalSet()
        set.intervals = result
        return set
    }

    /// The seconds in either set. O(n + m).
    package func union(_ other: IntervalSet) -> IntervalSet {
        var sorted: [EpochInterval] = []
        sorted.reserveCapacity(intervals.count + other.intervals.count)
        var left = 0
        var right = 0
        while left < intervals.count || right < other.intervals.count {
            if right == other.intervals.count || (left < intervals.count && intervals[left].start <= other.intervals[right].start) {
                sorted.append(intervals[left])
                left += 1
            } else {
                sorted.append(other.intervals[right])
                right += 1
            }
        }
        return IntervalSet(mergingSorted: sorted)
    }

    /// Whether any second of `interval` is in the set. O(log n).
    package func overlaps(_ interval: EpochInterval) -> Bool {
        guard !interval.isEmpty else { return false }
        // First stored interval that ends after interval.start.
        var low = 0
        var high = intervals.count
        while low < high {
            let middle = (low + high) / 2
            if intervals[middle].end <= interval.start { low = middle + 1 } else { high = middle }
        }
        return low < intervals.count && intervals[low].start < interval.end
    }

    /// Whether `second` is in the set. O(log n).
    package func contains(_ second: Int) -> Bool {
        overlaps(EpochInterval(start: second, end: second + 1))
    }
}
