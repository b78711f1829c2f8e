import Foundation

/// What ``NotificationDispatcher/Configuration/afterAccepted`` threw: the dispatcher stops as if it crashed.
struct DispatcherStopped: Error {
    var underlying: any Error
}

/// The rows of one turn, handed out one at a time to the sending tasks.
final class BatchQueue: @unchecked Sendable {
    // @unchecked Sendable: `lock` guards every property.
    private let lock = NSLock()
    private var rows: ArraySlice<ScheduledNotification>
    private var isStopped = false
    private var firstFailure: (any Error)?

    init(_ rows: [ScheduledNotification]) {
        self.rows = rows[...]
    }

    /// The next row, or nil when none is left or the queue was stopped.
    func next() -> ScheduledNotification? {
        lock.withLock {
            guard !isStopped else { return nil }
            return rows.popFirst()
        }
    }

    /// Hands out nothing more; `failure`, if given, is kept (the first one) for the turn to report.
    func stop(failure: (any Error)? = nil) {
        lock.withLock {
            isStopped = true
            if firstFailure == nil { firstFailure = failure }
        }
    }

    /// The first failure a sending task reported.
    var failure: (any Error)? { lock.withLock { firstFailure } }

    var stopped: Bool { lock.withLock { isStopped } }

    /// The rows never handed out.
    func remaining() -> [ScheduledNotification] { lock.withLock { Array(rows) } }
}
