import Logging

/// Hands out ``RedisConnection``s exclusively, bounded in number, with bounded waits.
///
/// The actor only does bookkeeping; connections are opened and used on the client's thread pool.
actor RedisConnectionPool {
    typealias Lease = RedisConnectionPoolState<RedisConnection>.Lease

    private struct Waiter {
        let continuation: CheckedContinuation<Lease, any Error>
        let timeout: Task<Void, Never>
    }

    private var state: RedisConnectionPoolState<RedisConnection>
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiterID = 0
    private let checkoutTimeout: Duration
    private let logger: Logger

    init(maximumConnections: Int, checkoutTimeout: Duration, logger: Logger) {
        self.state = RedisConnectionPoolState(maximumConnections: maximumConnections)
        self.checkoutTimeout = checkoutTimeout
        self.logger = logger
    }

    /// Waits up to the checkout timeout for a connection or the right to open one.
    ///
    /// - Throws: ``RedisError/poolTimeout``, ``RedisError/clientShutdown`` or `CancellationError`.
    func checkout() async throws -> Lease {
        try Task.checkCancellation()
        let id = self.nextWaiterID
        self.nextWaiterID += 1
        switch self.state.checkout(waiter: id) {
        case .lease(let lease):
            return lease
        case .fail(let error):
            throw error
        case .wait:
            break
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let timeout = Task { [checkoutTimeout] in  // unstructured: the checkout timer, cancelled when a connection comes
                    try? await Task.sleep(for: checkoutTimeout)
                    if !Task.isCancelled { self.giveUp(id, with: RedisError.poolTimeout) }
                }
                self.waiters[id] = Waiter(continuation: continuation, timeout: timeout)
            }
        } onCancel: {
            Task { await self.giveUp(id, with: CancellationError()) }  // unstructured: hands a cancelled wait back to the pool
        }
    }

    /// Returns a leased connection; `broken` connections are dropped and start a new generation.
    func release(_ connection: RedisConnection) {
        let broken = connection.isBroken
        let actions = self.state.release(connection, generation: connection.generation, broken: broken)
        if broken {
            self.logger.warning(
                "Dropped a broken Redis connection",
                metadata: ["redis.generation": "\(self.state.generation)"]
            )
        }
        self.perform(actions)
    }

    /// Opening a connection for an `.open` lease failed.
    func openFailed() {
        self.perform(self.state.openFailed())
    }

    /// A lease was never used because its work item did not run.
    func returnUnused(_ lease: Lease) {
        switch lease {
        case .reuse(let connection):
            self.perform(self.state.release(connection, generation: connection.generation, broken: false))
        case .open:
            self.perform(self.state.returnUnusedSlot())
        }
    }

    /// Closes idle connections and fails every waiter; leased connections close when returned.
    func shutdown() {
        let (closing, waiting) = self.state.shutdown()
        _ = closing  // dropping the last reference frees the hiredis context
        for id in waiting {
            if let waiter = self.waiters.removeValue(forKey: id) {
                waiter.timeout.cancel()
                waiter.continuation.resume(throwing: RedisError.clientShutdown)
            }
        }
    }

    private func giveUp(_ id: Int, with error: any Error) {
        guard self.state.removeWaiter(id), let waiter = self.waiters.removeValue(forKey: id) else { return }
        waiter.timeout.cancel()
        waiter.continuation.resume(throwing: error)
    }

    private func perform(_ actions: RedisConnectionPoolState<RedisConnection>.Actions) {
        // `actions.close` is dropped here: releasing the last reference frees each context.
        for (id, lease) in actions.handoffs {
            guard let waiter = self.waiters.removeValue(forKey: id) else {
                preconditionFailure("Redis pool handed a lease to an unknown waiter")
            }
            waiter.timeout.cancel()
            waiter.continuation.resume(returning: lease)
        }
    }
}
