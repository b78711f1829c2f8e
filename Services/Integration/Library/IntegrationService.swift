import Curl
import Events
import Foundation
import ServiceLifecycle
import ServiceRuntime

/// What varies between the integration service in service and under test.
package struct IntegrationOptions: Sendable {
    /// nil: from the environment (`IntegrationSettings.fromEnvironment`).
    package var settings: IntegrationSettings?
    /// The write-back consumer's queue (`integration.events`; tests use fresh names).
    package var queue: String
    package var consumer: EventConsumer.Configuration
    /// Which hosts' booking events this instance writes back; nil: all (tests share the broker).
    package var acceptsHost: (@Sendable (UUID) -> Bool)?
    /// Which hosts' integrations the poller looks at; nil: all (tests share the database).
    package var pollsHosts: [UUID]?
    package var consumesEvents: Bool
    package var polls: Bool
    /// Publishes `calendar.synced` and `integration.needs_reauth` from the outbox.
    package var relaysEvents: Bool
    /// Called with the parts once they are built (tests reach the poller and the coordinator).
    package var onBuilt: (@Sendable (IntegrationService.Parts) -> Void)?

    package init(
        settings: IntegrationSettings? = nil, queue: String = EventQueue.integration,
        consumer: EventConsumer.Configuration = EventConsumer.Configuration(),
        acceptsHost: (@Sendable (UUID) -> Bool)? = nil, consumesEvents: Bool = true, polls: Bool = true, relaysEvents: Bool = true
    ) {
        self.settings = settings
        self.queue = queue
        self.consumer = consumer
        self.acceptsHost = acceptsHost
        self.consumesEvents = consumesEvents
        self.polls = polls
        self.relaysEvents = relaysEvents
        pollsHosts = nil
        onBuilt = nil
    }
}

/// The integration service: connects hosts' Google, Microsoft and CalDAV calendars, syncs their
/// busy time (push + poll), and writes bookings back into them.
package enum IntegrationService {
    /// Everything `runService` needs to start the integration service.
    package static var definition: ServiceDefinition { definition(IntegrationOptions()) }

    package static func definition(_ options: IntegrationOptions) -> ServiceDefinition {
        // One set of parts per application, built on first use by the routes or the background services.
        let parts = PartsBox()
        return ServiceDefinition(
            name: "integration",
            defaultPort: 8083,
            openAPIDocument: IntegrationOpenAPI.document,
            routes: { router, deps in
                let built = try parts.get(deps, options)
                let workflow = IntegrationWorkflow(
                    database: deps.database.primary, flow: built.flow, gateway: built.gateway, vault: built.vault,
                    coordinator: built.coordinator, channels: built.channels, work: built.work, logger: deps.logger
                )
                IntegrationController(database: deps.database.primary, flow: built.flow, workflow: workflow).register(on: router)
                WebhookController(database: deps.database.primary, coordinator: built.coordinator, workflow: workflow, logger: deps.logger)
                    .register(on: router)
            },
            backgroundServices: { deps in
                let built = try parts.get(deps, options)
                var services: [any Service] = [OnShutdown { [curl = built.curl] in try await curl.shutdown() }]
                if options.relaysEvents {
                    services.append(OutboxRelay(
                        database: deps.database.primary, amqp: deps.amqp, logger: deps.logger, databaseURL: deps.configuration.databaseURL
                    ))
                }
                // Stops before the HTTP client above: the group stops its services in reverse order.
                services.append(built.work)
                if options.polls {
                    services.append(built.poller)
                }
                if options.consumesEvents {
                    let writer = built.writer
                    let acceptsHost = options.acceptsHost
                    services.append(EventConsumer(
                        queue: options.queue, bindings: ["booking.*"], database: deps.database.primary,
                        amqpConfiguration: deps.configuration.amqp, logger: deps.logger, configuration: options.consumer
                    ) { event, session in
                        if let acceptsHost, let host = try? event.hostUserID(), !acceptsHost(host) { return }
                        try await writer.handle(event, in: session)
                    })
                }
                return services
            }
        )
    }

    /// The service's parts over its dependencies.
    package struct Parts: Sendable {
        package let settings: IntegrationSettings
        package let curl: CurlHTTPClient
        package let vault: CredentialVault
        package let tokens: TokenManager
        package let gateway: CalendarGateway
        package let syncer: CalendarSyncer
        package let coordinator: SyncCoordinator
        package let channels: PushChannels
        package let flow: OAuthFlow
        package let writer: MeetingWriter
        package let poller: IntegrationPoller
        /// Syncs, first syncs and subscription changes that requests start and do not wait for.
        package let work: BackgroundWork

        init(_ deps: ServiceDependencies, _ options: IntegrationOptions) throws {
            settings = try options.settings ?? IntegrationSettings.fromEnvironment(deps.configuration)
            curl = CurlHTTPClient(configuration: .init(numberOfThreads: 8, userAgent: "Rendezvous calendar integration (libcurl)"), logger: deps.logger)
            let http = ProviderHTTP(client: curl)
            vault = CredentialVault(key: try deps.configuration.requireTokenEncryptionKey())
            let database = deps.database.primary
            tokens = TokenManager(database: database, vault: vault, settings: settings, http: http, logger: deps.logger)
            gateway = CalendarGateway(settings: settings, http: http, curl: curl, vault: vault, tokens: tokens)
            syncer = CalendarSyncer(database: database, gateway: gateway, settings: settings, logger: deps.logger)
            work = BackgroundWork(concurrency: max(settings.syncConcurrency, 1) + 8, logger: deps.logger)
            coordinator = SyncCoordinator(syncer: syncer, concurrency: settings.syncConcurrency, work: work)
            channels = PushChannels(database: database, gateway: gateway, settings: settings, logger: deps.logger)
            flow = OAuthFlow(database: database, vault: vault, settings: settings, http: http)
            writer = MeetingWriter(gateway: gateway, syncer: syncer, logger: deps.logger)
            poller = IntegrationPoller(
                database: database, coordinator: coordinator, channels: channels, settings: settings, logger: deps.logger, hosts: options.pollsHosts
            )
        }
    }

    /// Builds the parts once per application (the routes and background closures share them).
    final class PartsBox: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: Parts?

        func get(_ deps: ServiceDependencies, _ options: IntegrationOptions) throws -> Parts {
            lock.lock()
            defer { lock.unlock() }
            if let parts { return parts }
            let built = try Parts(deps, options)
            parts = built
            options.onBuilt?(built)
            return built
        }
    }
}

