import NIOConcurrencyHelpers

/// A flag a task's cancellation handler raises and the transfer's progress callback reads,
/// so that cancelling the awaiting task aborts the blocking `curl_easy_perform`.
final class CurlCancellation: Sendable {
    private let cancelled = NIOLockedValueBox(false)

    func cancel() { cancelled.withLockedValue { $0 = true } }

    var isCancelled: Bool { cancelled.withLockedValue { $0 } }
}
