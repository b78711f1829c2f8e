import Testing
@testable import SchedulingCore

@Suite("The interval-merge engine")
struct IntervalSetTests {
    private func set(_ pairs: [(Int, Int)]) -> IntervalSet {
        IntervalSet(merging: pairs.map { EpochInterval(start: $0.0, end: $0.1) })
    }

    private func pairs(_ set: IntervalSet) -> [[Int]] {
        set.intervals.map { [$0.start, $0.end] }
    }

    @Test("merging sorts, joins overlapping and touching intervals, drops empty ones")
    func merging() {
        #expect(pairs(set([(5, 7), (1, 3), (3, 4), (10, 12), (11, 15), (20, 20), (30, 25), (2, 3)])) == [[1, 4], [5, 7], [10, 15]])
        #expect(pairs(set([(0, 100), (10, 20), (30, 40)])) == [[0, 100]])
        #expect(set([]).isEmpty)
    }

    @Test("half-open: [a, b) and [b, c) do not overlap; a point at the end is outside")
    func halfOpen() {
        let busy = set([(10, 20), (30, 40)])
        #expect(!busy.overlaps(EpochInterval(start: 20, end: 30)))
        #expect(busy.overlaps(EpochInterval(start: 19, end: 21)))
        #expect(busy.overlaps(EpochInterval(start: 0, end: 11)))
        #expect(!busy.overlaps(EpochInterval(start: 0, end: 10)))
        #expect(busy.overlaps(EpochInterval(start: 35, end: 36)))
        #expect(!busy.overlaps(EpochInterval(start: 40, end: 50)))
        #expect(!busy.overlaps(EpochInterval(start: 15, end: 15)))
        #expect(busy.contains(10) && !busy.contains(20) && busy.contains(39) && !busy.contains(40))
    }

    @Test("subtracting busy from free windows")
    func subtraction() {
        let free = set([(0, 100), (200, 300)])
        let busy = set([(-10, 5), (20, 30), (30, 40), (90, 210), (250, 260), (299, 400)])
        #expect(pairs(free.subtracting(busy)) == [[5, 20], [40, 90], [210, 250], [260, 299]])
        #expect(pairs(free.subtracting(IntervalSet())) == [[0, 100], [200, 300]])
        #expect(free.subtracting(set([(-1000, 1000)])).isEmpty)
        #expect(pairs(set([(0, 10)]).subtracting(set([(2, 3), (5, 6)]))) == [[0, 2], [3, 5], [6, 10]])
    }

    @Test("union merges two sets")
    func union() {
        #expect(pairs(set([(0, 10), (20, 30)]).union(set([(10, 15), (40, 50)]))) == [[0, 15], [20, 30], [40, 50]])
    }

    @Test("against a brute-force bitmap on random inputs", arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func randomAgainstBitmap(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<200 {
            let first = (0..<Int(random.next(below: 12))).map { _ -> EpochInterval in
                let start = Int(random.next(below: 100))
                return EpochInterval(start: start, end: start + Int(random.next(below: 15)))
            }
            let second = (0..<Int(random.next(below: 12))).map { _ -> EpochInterval in
                let start = Int(random.next(below: 100))
                return EpochInterval(start: start, end: start + Int(random.next(below: 15)))
            }
            func bitmap(_ intervals: [EpochInterval]) -> [Bool] {
                var bits = [Bool](repeating: false, count: 130)
                for interval in intervals where !interval.isEmpty { for second in interval.start..<interval.end { bits[second] = true } }
                return bits
            }
            let a = IntervalSet(merging: first)
            let b = IntervalSet(merging: second)
            let expectedA = bitmap(first)
            let expectedB = bitmap(second)
            #expect(bitmap(a.intervals) == expectedA, "seed \(seed)")
            for (left, right) in zip(a.intervals, a.intervals.dropFirst()) { #expect(left.end < right.start, "seed \(seed)") }
            #expect(bitmap(a.subtracting(b).intervals) == zip(expectedA, expectedB).map { $0 && !$1 }, "seed \(seed)")
            #expect(bitmap(a.union(b).intervals) == zip(expectedA, expectedB).map { $0 || $1 }, "seed \(seed)")
            let probe = EpochInterval(start: Int(random.next(below: 110)), end: Int(random.next(below: 120)))
            let brute = probe.isEmpty ? false : (probe.start..<probe.end).contains { expectedA[$0] }
            #expect(a.overlaps(probe) == brute, "seed \(seed)")
        }
    }

    @Test("large inputs (the radix-sorted path) merge exactly like a comparison sort would", arguments: [
        (1_000, 1_000), (5_000, 3_000_000), (20_000, 1 << 40), (3_000, Int.max / 2),
    ])
    func largeInputs(count: Int, spread: Int) {
        var random = SeededRandom(seed: UInt64(count))
        let intervals = (0..<count).map { _ -> EpochInterval in
            let start = Int(truncatingIfNeeded: random.next() % UInt64(spread)) - spread / 2
            return EpochInterval(start: start, end: start + Int(random.next(below: 5_000)) - 100)
        }
        let sorted = IntervalSet.sortedByStart(intervals)
        #expect(sorted.map(\.start) == intervals.map(\.start).sorted())
        var expected: [EpochInterval] = []
        for interval in intervals.filter({ !$0.isEmpty }).sorted(by: { $0.start < $1.start }) {
            if let last = expected.last, interval.start <= last.end {
                expected[expected.count - 1].end = max(last.end, interval.end)
            } else {
                expected.append(interval)
            }
        }
        #expect(IntervalSet(merging: intervals).intervals == expected)
        // Extreme values take the comparison-sort fallback.
        let extreme = intervals + [EpochInterval(start: Int.min, end: Int.min + 10), EpochInterval(start: Int.max - 10, end: Int.max)]
        #expect(IntervalSet.sortedByStart(extreme).map(\.start) == extreme.map(\.start).sorted())
    }
}
