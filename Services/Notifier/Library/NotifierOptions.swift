import Events
import Foundation

/// What varies between the notifier in service and under test: its queue, clock, mail
/// transport, the events it applies, and the dispatcher's timings.
package struct NotifierOptions: Sendable {
    /// The work queue (`notifier.events`; tests use fresh names).
    package var queue: String
    /// The consumer's sizes and queue arguments.
    package var consumer: EventConsumer.Configuration
    /// The dispatcher's sizes and timings.
    package var dispatcher: NotificationDispatcher.Configuration
    /// The clock the dispatcher decides "due" by.
    package var now: @Sendable () -> Date
    /// The mail transport; nil: an SMTP client for `SMTP_URL`.
    package var transport: (any MailTransport)?
    /// Which hosts' events this instance applies; nil: all (tests share the broker with other suites).
    package var acceptsHost: (@Sendable (UUID) -> Bool)?
    /// Whether to run the consumer of the queue.
    package var consumesEvents: Bool
    /// Whether to run the dispatcher.
    package var dispatches: Bool

    /// The service's options; every value has a default fit for a service.
    package init(
        queue: String = EventQueue.notifier,
        consumer: EventConsumer.Configuration = EventConsumer.Configuration(),
        dispatcher: NotificationDispatcher.Configuration = NotificationDispatcher.Configuration(),
        now: @escaping @Sendable () -> Date = { Date() },
        transport: (any MailTransport)? = nil,
        acceptsHost: (@Sendable (UUID) -> Bool)? = nil,
        consumesEvents: Bool = true,
        dispatches: Bool = true
    ) {
        self.queue = queue
        self.consumer = consumer
        self.dispatcher = dispatcher
        self.now = now
        self.transport = transport
        self.acceptsHost = acceptsHost
        self.consumesEvents = consumesEvents
        self.dispatches = dispatches
    }
}
