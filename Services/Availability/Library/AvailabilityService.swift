import Events
import Foundation
import ScheduleStore
import ServiceRuntime

/// The availability service: accounts, meeting types, weekly schedules, date overrides and slots.
package enum AvailabilityService {
    /// Everything `runService` needs to start the availability service.
    package static var definition: ServiceDefinition {
        definition()
    }

    /// The service with what varies injected: the clock the slots are filtered by, and bcrypt's cost
    /// (`nil` reads `PASSWORD_HASH_COST`, default 12).
    package static func definition(
        now: @escaping @Sendable () -> Date = { Date() },
        passwordHashCost: Int? = nil
    ) -> ServiceDefinition {
        ServiceDefinition(
            name: "availability",
            defaultPort: 8082,
            openAPIDocument: AvailabilityOpenAPI.document,
            routes: { router, dependencies in
                let cost = try passwordHashCost
                    ?? EnvironmentReader().int("PASSWORD_HASH_COST", default: 12, range: 4...31)
                let database = dependencies.database
                let users = UserRepository()
                let cache = SlotCache(redis: dependencies.redis)
                let invalidation = AvailabilityInvalidation(cache: cache)
                AccountController(
                    database: database, users: users, passwords: PasswordHasher(cost: cost),
                    tokens: dependencies.tokens, invalidation: invalidation
                ).register(on: router)
                MeetingTypeController(database: database, meetingTypes: MeetingTypeRepository(), invalidation: invalidation)
                    .register(on: router)
                ScheduleController(database: database, users: users, schedule: WeeklyScheduleRepository(), invalidation: invalidation)
                    .register(on: router)
                let lookup = SlotLookup(
                    database: database, schedules: ScheduleRepository(), cache: cache, hosts: MeetingTypeHosts(), now: now
                )
                SlotsController(lookup: lookup).register(on: router)
                TimeZoneController().register(on: router)
            },
            backgroundServices: { dependencies in
                let handler = CacheInvalidationHandler(cache: SlotCache(redis: dependencies.redis), logger: dependencies.logger)
                return [
                    // Publishes the `availability.changed` events this service writes into the outbox.
                    OutboxRelay(
                        database: dependencies.database.primary, amqp: dependencies.amqp, logger: dependencies.logger,
                        databaseURL: dependencies.configuration.databaseURL
                    ),
                    EventConsumer(
                        queue: CacheInvalidationHandler.queue, bindings: CacheInvalidationHandler.bindings,
                        database: dependencies.database.primary, amqpConfiguration: dependencies.configuration.amqp,
                        logger: dependencies.logger, handler: handler.handle
                    ),
                ]
            }
        )
    }
}
