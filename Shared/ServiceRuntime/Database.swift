import Logging
import Postgres

/// The primary pool for writes, and a replica pool for reads when `DATABASE_REPLICA_URL` is set.
package struct Database: Sendable {
    /// Writes, and reads that must see them (inside a transaction).
    package let primary: PostgresClient
    /// The replica pool, if configured.
    package let replica: PostgresClient?

    /// Reads that tolerate replication lag (availability look-ups) go here.
    package var reads: PostgresClient { replica ?? primary }

    package init(configuration: ServiceConfiguration, applicationName: String, logger: Logger) {
        primary = PostgresClient(
            configuration: .init(url: configuration.databaseURL, maxConnections: configuration.databasePoolSize, applicationName: applicationName),
            logger: logger
        )
        replica = configuration.databaseReplicaURL.map {
            PostgresClient(
                configuration: .init(url: $0, maxConnections: configuration.databasePoolSize, applicationName: "\(applicationName)-reads"),
                logger: logger
            )
        }
    }

    /// Closes both pools.
    package func shutdown() async throws {
        try await primary.shutdown()
        try await replica?.shutdown()
    }
}
