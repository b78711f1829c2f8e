/// A half-open interval `[start, end)` of epoch seconds: the unit the engine computes in.
package struct EpochInterval: Hashable, Sendable, CustomStringConvertible {
    /// First second inside.
    package var start: Int
    /// First second after (exclusive).
    package var end: Int

    /// `[start, end)`; empty when `end <= start`.
    package init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Whether it contains no second.
    package var isEmpty: Bool { end <= start }

    /// Whether the two share at least one second (touching intervals do not overlap).
    package func overlaps(_ other: EpochInterval) -> Bool {
        start < other.end && other.start < end && !isEmpty && !other.isEmpty
    }

    /// A readable form for logs and test output.
    package var description: String {
        "[\(RFC3339Instant.string(fromEpochSeconds: start)), \(RFC3339Instant.string(fromEpochSeconds: end)))"
    }
}
