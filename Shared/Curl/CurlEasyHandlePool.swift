import NIOConcurrencyHelpers

/// Idle easy handles kept for reuse, so that a later transfer to the same host reuses the
/// open connection (and TLS session) the handle still holds.
///
/// Only called from thread-pool threads: creating, resetting and freeing a handle can block
/// (freeing an SMTP handle sends `QUIT` and waits for the answer).
final class CurlEasyHandlePool: Sendable {
    private let idle = NIOLockedValueBox<[CurlEasyHandle]>([])
    private let maxIdle: Int

    /// A pool keeping at most `maxIdle` handles; 0 makes a fresh handle for every transfer.
    init(maxIdle: Int) {
        self.maxIdle = maxIdle
    }

    /// Checks a handle out for `body` alone, then resets it and keeps it if there is room.
    func withHandle<Result>(_ body: (CurlEasyHandle) throws -> Result) throws -> Result {
        let handle = try idle.withLockedValue { $0.popLast() } ?? CurlEasyHandle()
        defer {
            // A handle that cannot be reset is dropped (and freed here, on this thread).
            if (try? handle.reset()) != nil {
                idle.withLockedValue { handles in
                    if handles.count < maxIdle { handles.append(handle) }
                }
            }
        }
        return try body(handle)
    }

    /// Frees every idle handle; call on a thread-pool thread before the pool stops.
    func removeAll() {
        // Take them out under the lock, free them outside it (on the calling thread).
        var handles = idle.withLockedValue { handles in
            defer { handles.removeAll() }
            return handles
        }
        handles.removeAll()
    }
}
