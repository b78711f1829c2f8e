import Foundation

/// When a fake event happens: an instant range, or whole days.
package enum FakeEventTiming: Sendable, Equatable {
    /// From `start` up to `end`.
    case timed(start: Date, end: Date)
    /// Whole days from `first` up to `endExclusive`, both `yyyy-MM-dd` (the end is exclusive,
    /// as both providers write it: a one-day event on the 10th ends on the 11th).
    case allDay(first: String, endExclusive: String)

    /// Whether it is an all-day event.
    package var isAllDay: Bool {
        if case .allDay = self { true } else { false }
    }

    /// The covered instants, all-day dates taken at midnight in `timeZone`.
    func interval(in timeZone: TimeZone) -> (start: Date, end: Date)? {
        switch self {
        case .timed(let start, let end):
            return (start, end)
        case .allDay(let first, let endExclusive):
            guard let start = WireTime.midnight(of: first, in: timeZone),
                  let end = WireTime.midnight(of: endExclusive, in: timeZone) else { return nil }
            return (start, end)
        }
    }
}
