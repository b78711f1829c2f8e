import Foundation
import SchedulingCore

/// RFC 3339 instants on the wire: the engine's `RFC3339Instant`, under the name the services use.
package enum RFC3339 {
    /// `2026-03-10T14:00:00Z`: UTC, whole seconds (a fraction is truncated).
    package static func format(_ date: Date) -> String {
        RFC3339Instant.string(from: date)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; `nil` for anything else, including impossible dates.
    package static func parse(_ text: String) -> Date? {
        RFC3339Instant.date(from: text)
    }
}
