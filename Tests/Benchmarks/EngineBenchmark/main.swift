// Engine benchmark: slot listing for 31 days against growing busy sets, and the raw interval merge.
// Run in release: `scripts/bench-engine` (or `swift run -c release engine-benchmark`).
import Foundation
import SchedulingCore

/// SplitMix64, so every run measures the same inputs.
struct BenchmarkRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
    mutating func int(_ range: Range<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}

/// Median and 90th percentile of `runs` timings of `body`, in microseconds.
func measure(runs: Int, _ body: () -> Int) -> (median: Double, p90: Double, checksum: Int) {
    var checksum = 0
    var samples: [Double] = []
    samples.reserveCapacity(runs)
    for _ in 0..<runs {
        let start = ContinuousClock.now
        checksum &+= body()
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
    }
    samples.sort()
    return (samples[samples.count / 2], samples[min(samples.count - 1, samples.count * 9 / 10)], checksum)
}

func format(_ microseconds: Double) -> String {
    microseconds >= 10_000 ? String(format: "%.1f ms", microseconds / 1000) : String(format: "%.1f µs", microseconds)
}

let hostZone = TimeZone(identifier: "America/New_York")!
let inviteeZone = TimeZone(identifier: "Europe/Berlin")!
let typeID = UUID()
let otherTypeID = UUID()
let meetingType = MeetingType(
    id: typeID, userID: UUID(), durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 5,
    slotIntervalMinutes: 15, maxBookingsPerDay: 8, minNoticeMinutes: 120, maxDaysInFuture: 60
)
let rules = (1...5).flatMap { day in
    [WeeklyRule(dayOfWeek: day, "09:00", "12:00")!, WeeklyRule(dayOfWeek: day, "13:00", "17:30")!]
}
let overrides = [DateOverride(date: LocalDate("2024-03-15")!, intervals: []), DateOverride(date: LocalDate("2024-03-16")!, intervals: [WallClockWindow("10:00", "14:00")!])]
let firstDate = LocalDate("2024-03-01")!
let lastDate = firstDate.adding(days: 30)
let now = RFC3339Instant.date(from: "2024-02-29T12:00:00Z")!
// Busy time spread over the 31 days plus a day either side (the listing spans both DST changes).
let spanStart = Int(RFC3339Instant.date(from: "2024-02-29T00:00:00Z")!.timeIntervalSince1970)
let spanSeconds = 33 * 86_400

func busySet(_ count: Int, seed: UInt64) -> (bookings: [ConfirmedBooking], external: [BusyInterval]) {
    var random = BenchmarkRandom(state: seed)
    var bookings: [ConfirmedBooking] = []
    var external: [BusyInterval] = []
    for index in 0..<count {
        let start = spanStart + random.int(0..<(spanSeconds / 900)) * 900
        let end = start + random.int(1..<5) * 900
        if index % 2 == 0 {
            bookings.append(ConfirmedBooking(
                id: UUID(), meetingTypeID: index % 4 == 0 ? typeID : otherTypeID,
                start: Date(timeIntervalSince1970: Double(start)), end: Date(timeIntervalSince1970: Double(end)),
                bufferBeforeMinutes: random.int(0..<3) * 5, bufferAfterMinutes: random.int(0..<3) * 5
            ))
        } else {
            external.append(BusyInterval(start: Date(timeIntervalSince1970: Double(start)), end: Date(timeIntervalSince1970: Double(end))))
        }
    }
    return (bookings, external)
}

print("SchedulingCore engine benchmark (release build expected; \(ProcessInfo.processInfo.activeProcessorCount) cores)")
print("slots for 31 days: host America/New_York (Mon-Fri 09:00-12:00, 13:00-17:30, 2 overrides), invitee Europe/Berlin,")
print("  30 min every 15 min, buffers 10/5, cap 8/day, notice 2 h; busy = half bookings (own buffers), half external events;")
print("  each run builds the generator and lists all 31 days (merge of the busy set included)")

var slotMedians: [(Int, Double)] = []
for (count, runs) in [(10, 3000), (1_000, 3000), (10_000, 300), (100_000, 30)] {
    let busy = busySet(count, seed: UInt64(count))
    let result = measure(runs: runs) {
        let generator = SlotGenerator(
            meetingType: meetingType, hostTimeZone: hostZone, weeklyRules: rules, overrides: overrides,
            bookings: busy.bookings, externalBusy: busy.external
        )
        return generator.slots(from: firstDate, through: lastDate, in: inviteeZone, now: now).reduce(0) { $0 + $1.slots.count }
    }
    slotMedians.append((count, result.median))
    let label = count.formatted(.number.grouping(.automatic))
    print("  \(label.padding(toLength: 8, withPad: " ", startingAt: 0)) busy intervals: median \(format(result.median)), p90 \(format(result.p90)) (\(runs) runs, \(result.checksum / runs) slots offered)")
}

print("merge (sort + merge, touching intervals join) of random intervals:")
var mergeMedians: [(Int, Double)] = []
for (count, runs) in [(1_000, 500), (10_000, 100), (100_000, 20), (1_000_000, 7)] {
    var random = BenchmarkRandom(state: 42)
    let intervals = (0..<count).map { _ -> EpochInterval in
        let start = random.int(0..<(count * 600))
        return EpochInterval(start: start, end: start + random.int(60..<3600))
    }
    let result = measure(runs: runs) { IntervalSet(merging: intervals).intervals.count }
    mergeMedians.append((count, result.median))
    let label = count.formatted(.number.grouping(.automatic))
    print("  \(label.padding(toLength: 9, withPad: " ", startingAt: 0)) intervals: median \(format(result.median)), p90 \(format(result.p90)) (\(runs) runs, \(result.checksum / runs) merged)")
}

func growth(_ name: String, _ medians: [(Int, Double)]) {
    guard let base = medians.first else { return }
    let baseCost = Double(base.0) * log2(Double(base.0))
    let parts = medians.dropFirst().map { count, median -> String in
        let ratio = median / base.1
        let nLogN = Double(count) * log2(Double(count)) / baseCost
        return "n×\(count / base.0): time ×\(String(format: "%.1f", ratio)) (n log n ×\(String(format: "%.1f", nLogN)))"
    }
    print("growth, \(name), vs n=\(base.0): " + parts.joined(separator: "; "))
}
growth("slots", Array(slotMedians.dropFirst()))
growth("merge", mergeMedians)
let target = slotMedians.first { $0.0 == 1_000 }?.1 ?? .infinity
print("target: 31 days with 1,000 busy intervals under 1 ms median: \(target < 1000 ? "met" : "NOT met") (\(format(target)))")
