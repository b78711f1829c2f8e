import Foundation

/// A doorbell for a loop that sleeps between rounds (the outbox relay, the notifier dispatcher): `ring()` from any task; `wait(upTo:)` returns at the first ring
/// since the last wait, or after the timeout, or on cancellation. Rings while nobody waits are
/// remembered as one.
package final class WakeUpSignal: @unchecked Sendable {
    /// A signal nobody has rung yet.
    package init() {}

    // @unchecked Sendable: `lock` guards both properties.
    private let lock = NSLock()
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    /// Wakes the waiter, or the next one to wait.
    package func ring() {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            if let waiter = self.waiter {
                self.waiter = nil
                return waiter
            }
            rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Waits for a ring, at most `timeout`.
    package func wait(upTo timeout: Duration) async {
        if lock.withLock({ () -> Bool in
            defer { rung = false }
            return rung
        }) {
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let resumeNow: Bool = self.lock.withLock {
                            if self.rung || Task.isCancelled {
                                self.rung = false
                                return true
                            }
                            self.waiter = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    self.ring()
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self.ring() }
            }
            await group.next()
            group.cancelAll()
        }
        lock.withLock { rung = false }
    }
}
