import Foundation
import NIOConcurrencyHelpers

/// A clock that reads what the test sets: for code whose outcome depends on "now" (minimum
/// notice, what is due), so no test depends on when, or how fast, it runs.
package final class TestClock: Sendable {
    private let current: NIOLockedValueBox<Date>

    package init(_ start: Date) {
        current = NIOLockedValueBox(start)
    }

    /// The time the clock reads.
    package var now: Date { current.withLockedValue { $0 } }

    package func advance(by seconds: TimeInterval) {
        current.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }

    package func set(_ date: Date) {
        current.withLockedValue { $0 = date }
    }
}

/// A clock that runs with real time from a point the test moves it to: for code that also
/// waits in real time (a dispatcher that polls), made to see a reminder due hours early.
package final class MovableClock: Sendable {
    private let offset = NIOLockedValueBox<TimeInterval>(0)

    package init() {}

    /// The time the clock reads.
    package func now() -> Date { offset.withLockedValue { Date().addingTimeInterval($0) } }

    /// From now on the clock reads `instant`, and runs on from there.
    package func move(to instant: Date) { offset.withLockedValue { $0 = instant.timeIntervalSince(Date()) } }
}
