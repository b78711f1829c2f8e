import Curl
import Events
import Foundation
import ServiceLifecycle
import ServiceRuntime

/// The notifier service: consumes booking and integration events into scheduled emails, sends
/// them over SMTP when due, and serves their audit log at `/api/notifications`.
package enum NotifierService {
    /// Everything `runService` needs to start the notifier service.
    package static var definition: ServiceDefinition { definition(NotifierOptions()) }

    /// The service with the given options (tests: fresh queue, own clock, a filter on their hosts).
    package static func definition(_ options: NotifierOptions) -> ServiceDefinition {
        ServiceDefinition(
            name: "notifier",
            defaultPort: 8084,
            openAPIDocument: NotifierOpenAPI.document,
            routes: { router, deps in
                NotificationController(repository: EmailNotificationRepository(), database: deps.database.primary).register(on: router)
            },
            backgroundServices: { deps in
                var services: [any Service] = []
                if options.consumesEvents {
                    services.append(consumer(deps, options: options))
                }
                if options.dispatches {
                    let transport: any MailTransport
                    if let injected = options.transport {
                        transport = injected
                    } else {
                        let client: SMTPClient
                        do {
                            client = try SMTPClient(url: deps.configuration.smtpURL, numberOfThreads: options.dispatcher.concurrency, logger: deps.logger)
                        } catch {
                            throw UnusableSMTPURL(reason: String(describing: error))
                        }
                        // Listed before the dispatcher, so it shuts down after it (reverse order).
                        services.append(OnShutdown { try await client.shutdown() })
                        transport = client
                    }
                    services.append(try dispatcher(deps, transport: transport, options: options))
                }
                return services
            }
        )
    }

    /// The consumer of the notifier's queue: each event's rows commit with its `processed_events` row.
    static func consumer(_ deps: ServiceDependencies, options: NotifierOptions) -> EventConsumer {
        let scheduler = NotificationScheduler(
            directory: NotificationDirectory(), repository: repository(deps.configuration), logger: deps.logger
        )
        let acceptsHost = options.acceptsHost
        return EventConsumer(
            queue: options.queue, bindings: ["booking.*", IntegrationNeedsReauth.type],
            database: deps.database.primary, amqpConfiguration: deps.configuration.amqp, logger: deps.logger,
            configuration: options.consumer
        ) { event, session in
            if let acceptsHost {
                guard let host = try event.hostUserID(), acceptsHost(host) else { return }
            }
            try await scheduler.handle(event, in: session)
        }
    }

    /// The dispatcher over the service's clients.
    static func dispatcher(_ deps: ServiceDependencies, transport: any MailTransport, options: NotifierOptions) throws -> NotificationDispatcher {
        NotificationDispatcher(
            database: deps.database.primary,
            transport: transport,
            renderer: NotificationRenderer(templates: try EmailTemplates.bundled(), publicBaseURL: deps.configuration.publicBaseURL),
            repository: repository(deps.configuration),
            sender: .init(address: deps.configuration.mailFrom),
            encryptionKey: try deps.configuration.requireTokenEncryptionKey(),
            databaseURL: deps.configuration.databaseURL,
            logger: deps.logger,
            now: options.now,
            configuration: options.dispatcher
        )
    }

    static func repository(_ configuration: ServiceConfiguration) -> ScheduledNotificationRepository {
        let domain = configuration.mailFrom.split(separator: "@").last.map(String.init) ?? "rendezvous.local"
        return ScheduledNotificationRepository(messageIDDomain: domain.isEmpty ? "rendezvous.local" : domain)
    }
}


/// `SMTP_URL` passed the shared checks but the SMTP client cannot use it (e.g. an unknown parameter).
struct UnusableSMTPURL: Error, CustomStringConvertible {
    var reason: String
    var description: String { "configuration error: SMTP_URL is not usable (\(reason))" }
}
