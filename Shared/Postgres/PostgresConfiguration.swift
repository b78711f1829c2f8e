/// How to reach PostgreSQL and how many connections to keep.
package struct PostgresConfiguration: Sendable {
    /// A libpq connection string or `postgres://user:password@host:port/database` URI.
    package var url: String
    /// The most connections the pool opens.
    package var maxConnections: Int
    /// How long a caller waits for a free connection before `poolTimeout`.
    package var acquireTimeout: Duration
    /// Shown in `pg_stat_activity`.
    package var applicationName: String

    package init(url: String, maxConnections: Int = 10, acquireTimeout: Duration = .seconds(5), applicationName: String = "rendezvous") {
        self.url = url
        self.maxConnections = maxConnections
        self.acquireTimeout = acquireTimeout
        self.applicationName = applicationName
    }
}
