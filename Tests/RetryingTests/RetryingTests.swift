import Foundation
import Retrying
import Testing

/// A generator with a fixed sequence, so jittered waits are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Backoff and Retry-After")
struct RetryingTests {
    @Test("without jitter: the initial wait, doubled per failure, capped; huge counts stay at the cap")
    func exact() {
        let backoff = Backoff(initial: .seconds(30), maximum: .seconds(600))
        #expect((1...7).map { backoff.delay(afterFailures: $0) } == [30, 60, 120, 240, 480, 600, 600].map { Duration.seconds($0) })
        #expect(backoff.delay(afterFailures: 0) == .seconds(30))
        #expect(backoff.delay(afterFailures: 10_000) == .seconds(600))
        #expect(Backoff(initial: .milliseconds(100), maximum: .seconds(5)).delay(afterFailures: 3) == .milliseconds(400))
    }

    @Test("with jitter: every wait lies between (1 − jitter) × the exact wait and the exact wait, and they differ")
    func jittered() {
        let exact = Backoff(initial: .milliseconds(200), maximum: .seconds(10))
        let jittered = Backoff(initial: .milliseconds(200), maximum: .seconds(10), jitter: 0.2)
        var generator = SeededGenerator(state: 42)
        var seen = Set<Duration>()
        for failures in 1...12 {
            for _ in 0..<50 {
                let wait = jittered.delay(afterFailures: failures, using: &generator)
                let top = exact.delay(afterFailures: failures)
                #expect(wait <= top && wait >= top * 0.8 - .nanoseconds(1), "\(failures): \(wait) of \(top)")
                seen.insert(wait)
            }
        }
        #expect(seen.count > 100)
    }

    @Test("settings out of range are brought into it: a maximum below the initial wait, a zero wait, jitter outside 0...1")
    func clamped() {
        #expect(Backoff(initial: .seconds(15), maximum: .seconds(10)).delay(afterFailures: 3) == .seconds(15))
        #expect(Backoff(initial: .zero, maximum: .seconds(1)).delay(afterFailures: 1) == .nanoseconds(1))
        #expect(Backoff(initial: .seconds(1), maximum: .seconds(1), jitter: 7).jitter == 1)
        #expect(Backoff(initial: .seconds(1), maximum: .seconds(1), jitter: -1).jitter == 0)
    }

    @Test("a running count: next after each failure, reset after a success")
    func attempts() {
        var attempts = Backoff(initial: .seconds(1), maximum: .seconds(4)).attempts()
        #expect([attempts.next(), attempts.next(), attempts.next(), attempts.next()] == [.seconds(1), .seconds(2), .seconds(4), .seconds(4)])
        #expect(attempts.failures == 4)
        attempts.reset()
        #expect(attempts.failures == 0)
        #expect(attempts.next() == .seconds(1))
    }

    @Test("Retry-After: seconds, the three HTTP date forms, a past date, junk", arguments: [
        ("120", Duration?.some(.seconds(120))),
        (" 0 ", .some(.zero)),
        ("999999999999", .some(.seconds(86_400))),
        ("Wed, 09 Dec 2026 10:02:00 GMT", .some(.seconds(120))),
        ("Wednesday, 09-Dec-26 10:02:00 GMT", .some(.seconds(120))),
        ("Wed Dec  9 10:02:00 2026", .some(.seconds(120))),
        ("Wed, 09 Dec 2026 09:00:00 GMT", .some(.zero)),
        ("soon", nil), ("", nil), ("-5", nil), ("1.5", nil),
    ])
    func retryAfter(value: String, expected: Duration?) {
        let now = ISO8601DateFormatter().date(from: "2026-12-09T10:00:00Z")!
        #expect(RetryAfter.parse(value, now: now) == expected)
    }
}
