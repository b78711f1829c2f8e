import NIOConcurrencyHelpers

/// A bounded set of connections handed out one caller at a time.
///
/// Connections are made lazily; a broken one is dropped on return, and when one breaks every idle
/// connection older than it is dropped too (after a server restart they are all dead), so the pool
/// reconnects without a caller seeing more than the call that was in flight.
final class PostgresConnectionPool: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Lease, any Error>
    }

    /// What a caller gets: an existing connection, or the right to open one.
    enum Lease {
        case connection(PostgresConnection)
        case slot
    }

    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var isShutdown = false
    }

    private let state = NIOLockedValueBox(State())
    let maxConnections: Int

    init(maxConnections: Int) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.maxConnections = maxConnections
    }

    /// Takes an idle connection, the right to open a new one, or waits up to `timeout` for either.
    func lease(timeout: Duration) async throws -> Lease {
        let immediate: Result<Lease, any Error>? = state.withLockedValue { state in
            if state.isShutdown { return .failure(PostgresError(kind: .shutdown, message: "pool is shut down")) }
            if let connection = state.idle.popLast() { return .success(.connection(connection)) }
            if state.open < maxConnections {
                state.open += 1
                return .success(.slot)
            }
            return nil
        }
        if let immediate { return try immediate.get() }

        let id = state.withLockedValue { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timeoutTask = Task { [weak self] in  // unstructured: the checkout timer, cancelled when a connection comes
            try await Task.sleep(for: timeout)
            self?.failWaiter(id, with: PostgresError(kind: .poolTimeout, message: "no connection free within \(timeout)"))
        }
        defer { timeoutTask.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let resumeNow: Result<Lease, any Error>? = state.withLockedValue { state in
                    if state.isShutdown { return .failure(PostgresError(kind: .shutdown, message: "pool is shut down")) }
                    if let connection = state.idle.popLast() { return .success(.connection(connection)) }
                    if state.open < maxConnections {
                        state.open += 1
                        return .success(.slot)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            failWaiter(id, with: CancellationError())
        }
    }

    private func failWaiter(_ id: UInt64, with error: any Error) {
        let waiter: Waiter? = state.withLockedValue { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// Gives a connection back; a broken or mid-transaction one is closed instead.
    func release(_ connection: PostgresConnection) {
        let healthy = connection.isUsable && !connection.isInTransaction
        let (waiter, lease): (Waiter?, Lease?) = state.withLockedValue { state in
            if !healthy {
                // Everything idle that is older than the broken connection likely died with it.
                let before = state.idle.count
                state.idle.removeAll { $0.createdAt <= connection.createdAt }
                state.open -= 1 + (before - state.idle.count)
            } else if state.isShutdown {
                state.open -= 1
                return (nil, nil)
            }
            guard !state.waiters.isEmpty else {
                if healthy { state.idle.append(connection) }
                return (nil, nil)
            }
            let waiter = state.waiters.removeFirst()
            if healthy { return (waiter, .connection(connection)) }
            if let idle = state.idle.popLast() { return (waiter, .connection(idle)) }
            state.open += 1
            return (waiter, .slot)
        }
        if let waiter, let lease { waiter.continuation.resume(returning: lease) }
    }

    /// Returns a slot whose connection could not be opened.
    func releaseSlot() {
        let waiter: Waiter? = state.withLockedValue { state in
            if let waiter = state.waiters.first, !state.isShutdown {
                state.waiters.removeFirst()
                return waiter
            }
            state.open -= 1
            return nil
        }
        waiter?.continuation.resume(returning: .slot)
    }

    /// Closes idle connections and fails every waiter; connections in use close when returned.
    func shutdown() {
        let (waiters, idle): ([Waiter], [PostgresConnection]) = state.withLockedValue { state in
            state.isShutdown = true
            let waiters = state.waiters
            let idle = state.idle
            state.waiters = []
            state.idle = []
            state.open -= idle.count
            return (waiters, idle)
        }
        _ = idle
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(kind: .shutdown, message: "pool is shut down"))
        }
    }
}
