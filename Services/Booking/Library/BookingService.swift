import Events
import Foundation
import ServiceRuntime

/// The booking service: `/api/bookings*`, the one place bookings are made and changed.
package enum BookingService {
    /// Everything `runService` needs to start the booking service.
    package static var definition: ServiceDefinition { definition(now: { Date() }) }

    /// The booking service on the clock `now` (tests fix it, so no outcome depends on when they run).
    package static func definition(now: @escaping @Sendable () -> Date) -> ServiceDefinition {
        ServiceDefinition(
            name: "booking",
            defaultPort: 8081,
            openAPIDocument: BookingOpenAPI.document,
            routes: { router, deps in
                try BookingController(workflow: makeWorkflow(deps, now: now)).register(on: router)
            },
            backgroundServices: { deps in
                [
                    // Publishes booking events written in each booking's transaction.
                    OutboxRelay(
                        database: deps.database.primary, amqp: deps.amqp, logger: deps.logger,
                        databaseURL: deps.configuration.databaseURL
                    ),
                    IdempotencyJanitor(database: deps.database.primary, logger: deps.logger),
                ]
            }
        )
    }

    /// The workflow over the service's clients; `now` is injectable for tests.
    static func makeWorkflow(_ deps: ServiceDependencies, now: @escaping @Sendable () -> Date = { Date() }) throws -> BookingWorkflow {
        let metrics = BookingMetrics()
        let key = try deps.configuration.requireTokenEncryptionKey()
        return BookingWorkflow(
            database: deps.database,
            lock: HostLock(redis: deps.redis, metrics: metrics, logger: deps.logger),
            idempotency: IdempotencyStore(
                redis: deps.redis, encryptionKey: key,
                metrics: metrics, logger: deps.logger
            ),
            events: BookingEvents(encryptionKey: key),
            cache: AvailabilityCache(redis: deps.redis, metrics: metrics, logger: deps.logger),
            metrics: metrics,
            logger: deps.logger,
            now: now,
            meetingTypes: MeetingTypeDirectory()
        )
    }
}
