import Logging
import NIOPosix

/// A pool of PostgreSQL connections with an async API.
///
/// libpq blocks, so every call runs on a thread of the client's own `NIOThreadPool` (one thread
/// per connection), never on an event loop or Swift's cooperative pool. A connection is checked
/// out by one caller at a time, so its `PGconn` is only ever used by one thread at once.
package final class PostgresClient: Sendable {
    private let configuration: PostgresConfiguration
    private let pool: PostgresConnectionPool
    private let threads: NIOThreadPool
    private let logger: Logger

    /// Creates the client; no connection is opened until the first query.
    package init(configuration: PostgresConfiguration, logger: Logger) {
        self.configuration = configuration
        self.pool = PostgresConnectionPool(maxConnections: configuration.maxConnections)
        self.threads = NIOThreadPool(numberOfThreads: configuration.maxConnections)
        self.logger = logger
        threads.start()
    }

    /// Closes the pool and stops its threads. Calls made afterwards throw `shutdown`.
    package func shutdown() async throws {
        pool.shutdown()
        try await threads.shutdownGracefully()
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    package func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { connection in
            try await connection.query(query)
        }
    }

    /// Checks that the server answers (`SELECT 1`).
    package func ping() async throws {
        try await query("SELECT 1")
    }

    /// Lends one connection to `body`, for statements that must share a session.
    package func withConnection<Result: Sendable>(
        _ body: (PostgresSession) async throws -> Result
    ) async throws -> Result {
        let connection = try await acquire()
        defer { pool.release(connection) }
        return try await body(PostgresSession(connection: connection, threads: threads))
    }

    /// Runs `body` inside `BEGIN … COMMIT`; a throw rolls back and is rethrown.
    ///
    /// - Parameter isolation: e.g. `"SERIALIZABLE"`; the server default (read committed) when `nil`.
    package func withTransaction<Result: Sendable>(
        isolation: String? = nil,
        _ body: (PostgresSession) async throws -> Result
    ) async throws -> Result {
        try await withConnection { session in
            try await session.query(PostgresQuery(unsafeSQL: isolation.map { "BEGIN ISOLATION LEVEL \($0)" } ?? "BEGIN"))
            let result: Result
            do {
                result = try await body(session)
            } catch {
                do {
                    try await session.query("ROLLBACK")
                } catch let rollbackError {
                    // The connection is dropped by the pool either way; the body's error is what matters.
                    logger.debug("rollback failed", metadata: ["error": "\(String(reflecting: rollbackError))"])
                }
                throw error
            }
            try await session.query("COMMIT")
            return result
        }
    }

    private func acquire() async throws -> PostgresConnection {
        switch try await pool.lease(timeout: configuration.acquireTimeout) {
        case .connection(let connection):
            return connection
        case .slot:
            let url = configuration.url
            let name = configuration.applicationName
            do {
                return try await threads.runIfActive {
                    try PostgresConnection(conninfo: url, applicationName: name)
                }
            } catch {
                pool.releaseSlot()
                throw error
            }
        }
    }
}

/// One checked-out connection, inside or outside a transaction.
package struct PostgresSession: Sendable {
    fileprivate let connection: PostgresConnection
    fileprivate let threads: NIOThreadPool

    /// Runs one statement on this session's connection.
    @discardableResult
    package func query(_ query: PostgresQuery) async throws -> PostgresRows {
        let connection = connection
        return try await threads.runIfActive {
            try connection.execute(query)
        }
    }

    /// Runs a multi-statement script without parameters (migrations).
    package func executeScript(_ sql: String) async throws {
        let connection = connection
        try await threads.runIfActive {
            try connection.executeScript(sql)
        }
    }
}
