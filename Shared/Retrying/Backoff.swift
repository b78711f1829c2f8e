/// How long to wait before the next try after failures in a row: `initial`, doubled per failure,
/// never more than `maximum`, spread by up to `jitter` of itself so that many clients that failed
/// together (every consumer when the broker restarts) do not all come back in the same instant.
///
/// The one backoff of the project: reconnect loops (PostgreSQL listener, AMQP connections, the
/// outbox relay, service start-up), email retries and calendar sync retries all use it.
package struct Backoff: Sendable, Hashable {
    /// The wait after the first failure.
    package var initial: Duration
    /// The longest wait, however many failures.
    package var maximum: Duration
    /// The share of each wait that is random, 0 (none: waits are exact) to 1; the wait is drawn
    /// from `[delay × (1 − jitter), delay]`, so it never exceeds the doubling or the cap.
    package var jitter: Double

    /// Settings out of range are brought into it rather than refused (they come from
    /// configuration): `initial` at least a nanosecond, `maximum` at least `initial`, `jitter` in 0...1.
    package init(initial: Duration, maximum: Duration, jitter: Double = 0) {
        self.initial = max(initial, .nanoseconds(1))
        self.maximum = max(maximum, self.initial)
        self.jitter = min(max(jitter.isNaN ? 0 : jitter, 0), 1)
    }

    /// The wait after `failures` failures in a row (1 → `initial`, 2 → twice that, …), capped;
    /// with jitter, a random share below it.
    package func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, using: &generator)
    }

    /// `delay(afterFailures:)` with the random numbers of `generator` (tests pass a seeded one).
    package func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let doublings = min(max(failures - 1, 0), 62)
        let exact = Self.seconds(initial) * Double(UInt64(1) << UInt64(doublings))
        let capped = min(exact, Self.seconds(maximum))
        guard jitter > 0 else { return Self.duration(capped) }
        return Self.duration(capped * (1 - jitter * Double.random(in: 0...1, using: &generator)))
    }

    /// A running count of failures in a row: `next()` after each failure, `reset()` after a success.
    package struct Attempts: Sendable {
        package let backoff: Backoff
        /// Failures since the last success.
        package private(set) var failures = 0

        package init(_ backoff: Backoff) {
            self.backoff = backoff
        }

        /// Counts a failure and returns the wait before the next try.
        package mutating func next() -> Duration {
            failures += 1
            return backoff.delay(afterFailures: failures)
        }

        /// Counts a success: the next failure waits `initial` again.
        package mutating func reset() {
            failures = 0
        }
    }

    /// A running count that starts with no failures.
    package func attempts() -> Attempts { Attempts(self) }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
