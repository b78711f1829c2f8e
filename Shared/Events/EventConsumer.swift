import AMQP
import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Consumes one service's queue (`notifier.events`, `integration.events`, `availability.events`), binding the given routing keys,
/// with retry queues and a DLQ; runs the handler inside a database transaction together with the `processed_events` insert (idempotent on the event id), then acks.
///
/// For each delivery:
/// 1. the envelope header is read; a body that is not an envelope goes straight to the
///    dead-letter queue (retrying cannot fix it);
/// 2. in one transaction, `(consumer, event id)` is inserted into `processed_events` and the
///    handler runs with the same session; if the row was already there the event is a duplicate
///    and the handler does not run;
/// 3. only after that transaction committed is the delivery acked. A crash between the commit and
///    the ack makes the broker redeliver, and step 2 finds the row: no second effect;
/// 4. when the handler (or its transaction) throws, a copy goes to the retry queue of that attempt
///    (`x-attempt` + 1) and the original is acked; after the last attempt the copy goes to the
///    dead-letter queue with `x-attempt` = the attempts made. A lost database connection does not
///    use up an attempt (the copy waits in the first retry queue with the same `x-attempt`).
///
/// At most `prefetch` deliveries are unsettled and `concurrency` handlers run at once. The AMQP
/// consumer reconnects after a broker restart and declares the topology again; deliveries it held
/// are redelivered, and absorbed by step 2 if they had been applied.
package struct EventConsumer: Service {
    /// What happened to a delivery, reported to ``Configuration/beforeAck``.
    package enum Outcome: String, Sendable, Equatable {
        /// The handler ran and its transaction committed.
        case processed
        /// The event had been applied before; the handler did not run.
        case duplicate
        /// The handler failed; a copy waits in a retry queue.
        case retried
        /// The handler failed its last attempt, or the message was malformed; a copy is in the dead-letter queue.
        case deadLettered
    }

    /// Sizes, timings and the queue arguments; the defaults suit a service.
    package struct Configuration: Sendable {
        /// Deliveries unsettled at a time (basic.qos).
        package var prefetch: UInt16
        /// Handlers running at once (1: in queue order).
        package var concurrency: Int
        /// Waits before each retry; part of the queue arguments (see ``EventTopology``).
        package var retryDelays: [Duration]
        /// `x-delivery-limit` of the work queue; part of the queue arguments.
        package var deliveryLimit: Int
        /// The name recorded in `processed_events.consumer`; the queue name when nil.
        package var consumerName: String?
        /// How often queue depths are sampled (`calendly_queue_depth`).
        package var depthSampleInterval: Duration
        /// `processed_events` rows of this consumer older than this are deleted (hourly).
        package var processedRetention: Duration
        /// Runs after the outcome is settled in the database and before the ack (tests use it to
        /// stop a consumer in exactly that window, or to observe outcomes).
        package var beforeAck: (@Sendable (ReceivedEvent, Outcome) async -> Void)?

        /// A configuration; every value has a default fit for a service.
        package init(
            prefetch: UInt16 = 16,
            concurrency: Int = 1,
            retryDelays: [Duration] = EventTopology.defaultRetryDelays,
            deliveryLimit: Int = EventTopology.defaultDeliveryLimit,
            consumerName: String? = nil,
            depthSampleInterval: Duration = .seconds(15),
            processedRetention: Duration = .seconds(14 * 24 * 3600),
            beforeAck: (@Sendable (ReceivedEvent, Outcome) async -> Void)? = nil
        ) {
            self.prefetch = prefetch
            self.concurrency = concurrency
            self.retryDelays = retryDelays
            self.deliveryLimit = deliveryLimit
            self.consumerName = consumerName
            self.depthSampleInterval = depthSampleInterval
            self.processedRetention = processedRetention
            self.beforeAck = beforeAck
        }
    }

    /// The handler: applies one event with the given transaction's session; throw to retry.
    package typealias Handler = @Sendable (ReceivedEvent, PostgresSession) async throws -> Void

    /// The queue's exchange binding, retry queues and dead-letter queue.
    package let topology: EventTopology
    private let database: PostgresClient
    private let amqpConfiguration: AMQPConfiguration
    private let logger: Logger
    private let configuration: Configuration
    private let handler: Handler
    private let consumerName: String
    private let metrics: ConsumerMetrics

    /// A consumer of `queue` bound to `bindings` (event types or patterns such as `booking.*`).
    package init(
        queue: String,
        bindings: [String],
        database: PostgresClient,
        amqpConfiguration: AMQPConfiguration,
        logger: Logger,
        configuration: Configuration = Configuration(),
        handler: @escaping Handler
    ) {
        precondition(configuration.concurrency >= 1, "concurrency must be at least 1")
        topology = EventTopology(
            queue: queue, bindings: bindings, retryDelays: configuration.retryDelays, deliveryLimit: configuration.deliveryLimit
        )
        self.database = database
        self.amqpConfiguration = amqpConfiguration
        self.logger = logger
        self.configuration = configuration
        self.handler = handler
        consumerName = configuration.consumerName ?? queue
        metrics = ConsumerMetrics(queue: queue)
    }

    /// Consumes until cancelled or a graceful shutdown; unsettled deliveries go back to the queue.
    package func run() async throws {
        let amqpTopology = topology.amqpTopology
        // Its own publishing connection (retry and dead-letter copies, queue depths): it also
        // declares the topology on connect, so the queues exist before the first publish.
        let publisher = AMQPConnection(configuration: amqpConfiguration, topology: amqpTopology, logger: logger)
        let consumer = AMQPConsumer(
            configuration: amqpConfiguration, queue: topology.queue, prefetch: configuration.prefetch,
            topology: amqpTopology, logger: logger
        )
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await housekeeping(publisher: publisher)
                }
            }
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await consume(consumer, publisher: publisher)
                }
            }
            await group.next()
            group.cancelAll()
        }
        await consumer.stop()
        await publisher.close()
    }

    private func consume(_ consumer: AMQPConsumer, publisher: AMQPConnection) async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await delivery in consumer.deliveries {
                if running >= configuration.concurrency {
                    await group.next()
                    running -= 1
                }
                group.addTask {
                    // Not cancelled with the consumer: a handler that started commits and acks
                    // (a transaction cut short would only be retried).
                    await Task { await handle(delivery, consumer: consumer, publisher: publisher) }.value  // unstructured: awaited, shielded from cancellation
                }
                running += 1
            }
        }
    }

    /// Handles one delivery and settles it.
    private func handle(_ delivery: AMQPDelivery, consumer: AMQPConsumer, publisher: AMQPConnection) async {
        let event: ReceivedEvent
        do {
            event = try ReceivedEvent(delivery: delivery)
        } catch {
            logger.error("event is not an envelope, dead-lettering it", metadata: [
                "amqp.queue": "\(topology.queue)", "event.message_id": "\(delivery.messageID ?? "")",
            ])
            let attempt = ReceivedEvent.attempt(of: delivery)
            if await forward(delivery, to: topology.deadLetterQueue, attempt: attempt, reason: "malformed", error: error, publisher: publisher) {
                metrics.deadLettered.increment()
                await consumer.settle(delivery, .ack)
            } else {
                await requeueLater(delivery, consumer: consumer)
            }
            return
        }
        var eventLogger = logger
        eventLogger[metadataKey: "event.id"] = "\(event.id.uuidString.lowercased())"
        eventLogger[metadataKey: "event.type"] = "\(event.type)"
        if let requestID = event.requestID { eventLogger[metadataKey: "request.id"] = "\(requestID)" }

        let outcome: Outcome
        let start = ContinuousClock.now
        do {
            let consumerName = consumerName
            let handler = handler
            let applied = try await database.withTransaction { session in
                let inserted = try await session.query("""
                    INSERT INTO processed_events (consumer, event_id, event_type)
                    VALUES (\(consumerName), \(event.id), \(event.type)) ON CONFLICT DO NOTHING
                    """)
                guard inserted.affectedRows == 1 else { return false }
                try await handler(event, session)
                return true
            }
            metrics.handling.recordInterval(since: start)
            outcome = applied ? .processed : .duplicate
            (applied ? metrics.processed : metrics.duplicates).increment()
            if !applied {
                eventLogger.debug("event already processed, acknowledging", metadata: ["event.redelivered": "\(event.redelivered)"])
            }
        } catch {
            guard let forwarded = await retryOrDeadLetter(delivery, event: event, error: error, publisher: publisher, logger: eventLogger) else {
                // Could not hand the copy to the broker: let the broker keep the original.
                await requeueLater(delivery, consumer: consumer)
                return
            }
            outcome = forwarded
        }
        await configuration.beforeAck?(event, outcome)
        await consumer.settle(delivery, .ack)
    }

    /// Sends a failed event to its next retry queue or to the dead-letter queue; nil when the
    /// copy could not be published (the caller then requeues the original).
    private func retryOrDeadLetter(
        _ delivery: AMQPDelivery, event: ReceivedEvent, error: any Error, publisher: AMQPConnection, logger: Logger
    ) async -> Outcome? {
        if let databaseError = error as? PostgresError,
           [.connectionFailed, .connectionLost, .poolTimeout].contains(databaseError.kind) {
            // The database is away, not the event at fault: wait without spending an attempt.
            logger.warning("database unavailable, event waits for a retry", metadata: ["error": "\(String(reflecting: error))"])
            let sent = await forward(delivery, to: topology.retryQueue(after: 1), attempt: event.attempt, reason: "database_unavailable", error: error, publisher: publisher)
            if sent { metrics.retried.increment() }
            return sent ? .retried : nil
        }
        if event.attempt < topology.maximumAttempts {
            logger.warning("event handler failed, retrying later", metadata: [
                "event.attempt": "\(event.attempt)", "error": "\(String(reflecting: error))",
            ])
            let sent = await forward(delivery, to: topology.retryQueue(after: event.attempt), attempt: event.attempt + 1, reason: "handler_failed", error: error, publisher: publisher)
            if sent { metrics.retried.increment() }
            return sent ? .retried : nil
        }
        logger.error("event handler failed its last attempt, dead-lettering it", metadata: [
            "event.attempt": "\(event.attempt)", "error": "\(String(reflecting: error))",
        ])
        let sent = await forward(delivery, to: topology.deadLetterQueue, attempt: event.attempt, reason: "handler_failed", error: error, publisher: publisher)
        if sent { metrics.deadLettered.increment() }
        return sent ? .deadLettered : nil
    }

    /// Publishes a copy of the delivery to `queue` (default exchange, confirmed); false on failure.
    private func forward(
        _ delivery: AMQPDelivery, to queue: String, attempt: Int, reason: String, error: any Error, publisher: AMQPConnection
    ) async -> Bool {
        var properties = delivery.properties
        properties.persistent = true
        properties.headers["x-attempt"] = .int(Int64(attempt))
        properties.headers["x-failure"] = .string(reason)
        properties.headers["x-error"] = .string(String(String(describing: error).prefix(256)))
        // After a lap through a retry queue the routing key is the work queue's name: keep the first one.
        properties.headers["x-original-routing-key"] = delivery.headers["x-original-routing-key"] ?? .string(delivery.routingKey)
        // The broker's own `x-death` history would only grow with every lap; ours is `x-attempt`.
        properties.headers["x-death"] = nil
        do {
            try await publisher.publish(exchange: "", routingKey: queue, body: delivery.body, properties: properties, mandatory: true)
            return true
        } catch {
            logger.warning("could not forward event copy", metadata: [
                "amqp.queue": "\(queue)", "error": "\(String(reflecting: error))",
            ])
            return false
        }
    }

    /// Gives the delivery back to the broker after a pause, so a broken path does not spin.
    private func requeueLater(_ delivery: AMQPDelivery, consumer: AMQPConsumer) async {
        try? await Task.sleep(for: .seconds(1))
        await consumer.settle(delivery, .nack(requeue: true))
    }

    /// Samples queue depths and sweeps old `processed_events` rows until cancelled.
    private func housekeeping(publisher: AMQPConnection) async {
        let clock = ContinuousClock()
        var nextSweep = clock.now + .seconds(60)
        let gauges = topology.queueNames.map { ($0, ConsumerMetrics.depth(of: $0)) }
        while !Task.isCancelled {
            if publisher.isConnected {
                for (queue, gauge) in gauges {
                    if let count = try? await publisher.messageCount(queue: queue) {
                        gauge.record(Int64(count))
                    }
                }
            }
            if clock.now >= nextSweep {
                nextSweep = clock.now + .seconds(3600)
                let seconds = Double(configuration.processedRetention.components.seconds)
                do {
                    try await database.query("""
                        DELETE FROM processed_events WHERE (consumer, event_id) IN (
                            SELECT consumer, event_id FROM processed_events
                            WHERE consumer = \(consumerName) AND processed_at < clock_timestamp() - make_interval(secs => \(seconds))
                            LIMIT 10000)
                        """)
                } catch {
                    logger.debug("processed_events sweep failed", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
            try? await Task.sleep(for: configuration.depthSampleInterval)
        }
    }
}
