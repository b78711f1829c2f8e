import Foundation
import Metrics

extension Metrics.Timer {
    /// Records the time elapsed since `date`, never negative.
    func recordInterval(since date: Date) {
        recordNanoseconds(Int64(max(0, Date().timeIntervalSince(date)) * 1_000_000_000))
    }

    /// Records the time elapsed since `instant`.
    func recordInterval(since instant: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - instant
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
