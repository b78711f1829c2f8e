/// Planned failures of the next API calls (`failNextRequests(count:status:retryAfter:)`).
struct FakeFailurePlan: Sendable {
    /// Calls still to fail.
    var remaining = 0
    /// The status they fail with.
    var status = 429
    /// The `Retry-After` value in seconds, when sent.
    var retryAfter: Int?

    /// Takes one planned failure, if any is left.
    mutating func next() -> (status: Int, retryAfter: Int?)? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        return (status, retryAfter)
    }
}
