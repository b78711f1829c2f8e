import AMQP
import Foundation
import Retrying
import Hummingbird
import Logging
import Postgres
import Redis
import SchedulingCore
import ServiceLifecycle

/// What makes one service different from the others: its name, port, routes and background work.
package struct ServiceDefinition: Sendable {
    /// `booking`, `availability`, `integration` or `notifier`: the logger label and database application name.
    package var name: String
    /// The port on the local stack (`PORT` overrides it).
    package var defaultPort: Int
    /// The service's OpenAPI 3.1 document, served at `/openapi.json`.
    package var openAPIDocument: String
    /// Mounts the service's routes (under the prefixes the gateway sends it).
    package var routes: @Sendable (Router<ServiceRequestContext>, ServiceDependencies) throws -> Void
    /// Long-running work (consumers, relays, pollers), run and shut down with the server.
    package var backgroundServices: @Sendable (ServiceDependencies) throws -> [any Service]

    package init(
        name: String,
        defaultPort: Int,
        openAPIDocument: String,
        routes: @escaping @Sendable (Router<ServiceRequestContext>, ServiceDependencies) throws -> Void = { _, _ in },
        backgroundServices: @escaping @Sendable (ServiceDependencies) throws -> [any Service] = { _ in [] }
    ) {
        self.name = name
        self.defaultPort = defaultPort
        self.openAPIDocument = openAPIDocument
        self.routes = routes
        self.backgroundServices = backgroundServices
    }
}

/// The clients a service's routes and background work use.
package struct ServiceDependencies: Sendable {
    package let configuration: ServiceConfiguration
    package let logger: Logger
    package let database: Database
    /// The cache and lock store; callers treat its failures as "no cache", never as an error.
    package let redis: RedisClient
    /// The publishing connection (publisher confirms) to RabbitMQ.
    package let amqp: AMQPConnection
    /// Verifies (and, in the availability service, issues) hosts' bearer tokens.
    package let tokens: AccessTokens
}

/// Builds the Hummingbird application for a service: operator routes, problem JSON, request ids,
/// HTTP metrics, migrations before the server starts, and graceful shutdown of every client.
package func buildApplication(
    _ definition: ServiceDefinition,
    configuration: ServiceConfiguration,
    logger: Logger
) async throws -> some ApplicationProtocol {
    let registry = MetricsRegistry.shared
    // The zone database is read and resolved here, before the first request needs it.
    let zones = TimeZoneDatabase.system.zones.count
    logger.debug("time-zone database read", metadata: ["zones": "\(zones)"])
    let database = Database(configuration: configuration, applicationName: definition.name, logger: logger)
    let redis = RedisClient(configuration: configuration.redis, logger: logger)
    let amqp = AMQPConnection(configuration: configuration.amqp, logger: logger)
    let tokens = await AccessTokens(secret: configuration.authSecret)
    let dependencies = ServiceDependencies(
        configuration: configuration, logger: logger, database: database, redis: redis, amqp: amqp, tokens: tokens
    )

    let router = Router(context: ServiceRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: BearerAuthMiddleware(tokens: tokens))
    var checks = [
        DependencyCheck(name: "postgres") { try await database.primary.ping() },
        DependencyCheck(name: "redis") { _ = try await redis.ping() },
        DependencyCheck(name: "rabbitmq") { try await amqp.ping() },
    ]
    if let replica = database.replica {
        checks.append(DependencyCheck(name: "postgres_replica") { try await replica.ping() })
    }
    OperatorRoutes(checks: checks, registry: registry, openAPIDocument: definition.openAPIDocument).register(on: router)
    try definition.routes(router, dependencies)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: definition.name),
        logger: logger
    )
    // Added first, so stopped last: the clients close after the server and every background service.
    app.addServices(OnShutdown {
        await amqp.close()
        try await redis.shutdown()
        try await database.shutdown()
    })
    app.addServices(try definition.backgroundServices(dependencies))
    if configuration.migrateOnStart {
        app.beforeServerStarts {
            try await migrateWithRetry(database.primary, logger: logger)
        }
    }
    return app
}

/// Reads the configuration, builds the service and runs it until SIGTERM or SIGINT.
package func runService(_ definition: ServiceDefinition) async throws {
    var logger = Logger(label: definition.name)
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    do {
        let configuration = try ServiceConfiguration(defaultPort: definition.defaultPort)
        let app = try await buildApplication(definition, configuration: configuration, logger: logger)
        try await app.runService()
    } catch let error as ConfigurationError {
        FileHandle.standardError.write(Data("\(definition.name): \(error)\n".utf8))
        exit(78)  // EX_CONFIG
    }
}

/// Migrations wait for PostgreSQL to come up (a service may start before it) for a bounded time.
private func migrateWithRetry(_ db: PostgresClient, logger: Logger) async throws {
    let migrator = try DatabaseMigrator.bundled()
    var retries = Backoff(initial: .milliseconds(200), maximum: .seconds(5), jitter: 0.2).attempts()
    let deadline = ContinuousClock.now + .seconds(60)
    while true {
        do {
            try await migrator.migrate(db, logger: logger)
            return
        } catch let error as PostgresError where [.connectionFailed, .connectionLost, .poolTimeout].contains(error.kind) {
            guard ContinuousClock.now < deadline else { throw error }
            logger.warning("database not reachable, retrying migrations", metadata: ["error": "\(String(reflecting: error))"])
            try await Task.sleep(for: retries.next())
        }
    }
}

