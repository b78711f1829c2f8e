import Logging
import NIOCore
import NIOPosix

/// An async Redis client over hiredis: a bounded pool of blocking connections used on threads it owns.
///
/// Each call checks a connection out exclusively, runs the blocking hiredis call on the client's
/// `NIOThreadPool` (never on an event loop or the cooperative pool) and returns the connection.
/// A connection that saw an I/O, EOF or timeout error is discarded, and so are the idle ones
/// opened before it; the next call opens a fresh one, so the client recovers by itself after a
/// Redis restart (the call that hit the failure throws).
///
/// Call ``shutdown()`` before dropping the client: it stops the thread pool it owns.
package final class RedisClient: Sendable {
    /// The settings this client connects with.
    package let configuration: RedisConfiguration
    private let pool: RedisConnectionPool
    private let threadPool: NIOThreadPool
    private let ownsThreadPool: Bool
    private let logger: Logger

    /// A client with its own thread pool of `configuration.maximumConnections` threads.
    ///
    /// No connection is opened until the first call.
    package convenience init(configuration: RedisConfiguration, logger: Logger = Logger(label: "rendezvous.redis")) {
        let threadPool = NIOThreadPool(numberOfThreads: configuration.maximumConnections)
        threadPool.start()
        self.init(configuration: configuration, threadPool: threadPool, ownsThreadPool: true, logger: logger)
    }

    /// A client whose blocking calls run on `threadPool`, which the caller started and shuts down.
    ///
    /// Give the pool at least `maximumConnections` threads, or calls queue behind each other.
    package convenience init(configuration: RedisConfiguration, threadPool: NIOThreadPool, logger: Logger = Logger(label: "rendezvous.redis")) {
        self.init(configuration: configuration, threadPool: threadPool, ownsThreadPool: false, logger: logger)
    }

    private init(configuration: RedisConfiguration, threadPool: NIOThreadPool, ownsThreadPool: Bool, logger: Logger) {
        var logger = logger
        logger[metadataKey: "redis.server"] = "\(configuration.host):\(configuration.port)"
        self.configuration = configuration
        self.threadPool = threadPool
        self.ownsThreadPool = ownsThreadPool
        self.logger = logger
        self.pool = RedisConnectionPool(
            maximumConnections: configuration.maximumConnections,
            checkoutTimeout: configuration.checkoutTimeout,
            logger: logger
        )
    }

    /// Closes idle connections, fails waiting calls and stops the owned thread pool.
    ///
    /// Calls already running finish; later calls throw ``RedisError/clientShutdown``.
    package func shutdown() async throws {
        await self.pool.shutdown()
        if self.ownsThreadPool {
            try await self.threadPool.shutdownGracefully()
        }
    }

    /// Sends a command (name first) and returns the reply.
    ///
    /// - Throws: ``RedisError/server(message:)`` for an error reply; other ``RedisError``s for
    ///   connection, timeout and pool failures; `CancellationError` if cancelled while waiting.
    @discardableResult
    package func command(_ arguments: [[UInt8]]) async throws -> RedisValue {
        try await self.withConnection { connection throws(RedisError) in
            try connection.send(arguments)
        }
    }

    /// Sends a command given as text arguments (name first) and returns the reply.
    @discardableResult
    package func command(_ arguments: [String]) async throws -> RedisValue {
        try await self.command(arguments.map { Array($0.utf8) })
    }

    /// Sends a command given as text arguments (name first) and returns the reply.
    @discardableResult
    package func command(_ arguments: String...) async throws -> RedisValue {
        try await self.command(arguments)
    }

    /// Runs `body` on a thread-pool thread with a connection checked out exclusively.
    ///
    /// `body` may send several commands on the same connection (e.g. `WATCH`/`MULTI`/`EXEC`).
    func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws(RedisError) -> Result
    ) async throws -> Result {
        let lease = try await self.pool.checkout()
        let outcome: CallOutcome<Result>
        do {
            outcome = try await self.threadPool.runIfActive { [configuration] in
                let connection: RedisConnection
                switch lease {
                case .reuse(let idle):
                    connection = idle
                case .open(let generation):
                    do throws(RedisError) {
                        connection = try RedisConnection(configuration: configuration, generation: generation)
                    } catch {
                        return .openFailed(error)
                    }
                }
                do throws(RedisError) {
                    return .ran(connection, .success(try body(connection)))
                } catch {
                    return .ran(connection, .failure(error))
                }
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            await self.pool.returnUnused(lease)
            throw RedisError.clientShutdown
        } catch {
            // Cancelled before the work item ran: the lease is untouched.
            await self.pool.returnUnused(lease)
            throw error
        }
        switch outcome {
        case .openFailed(let error):
            await self.pool.openFailed()
            throw error
        case .ran(let connection, let result):
            await self.pool.release(connection)
            return try result.get()
        }
    }
}

/// What one work item on the thread pool did.
private enum CallOutcome<Value: Sendable>: Sendable {
    case openFailed(RedisError)
    case ran(RedisConnection, Result<Value, RedisError>)
}
