import AMQP
import Foundation
import Retrying
import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Publishes unsent outbox rows with confirms (a ServiceLifecycle `Service`, added by producing services to their background services).
///
/// The loop claims up to ``Configuration/batchSize`` unsent rows in `position` order with
/// `FOR UPDATE SKIP LOCKED` (so several relays, e.g. two replicas, never publish the same row
/// at once), publishes each with a publisher confirm and marks the confirmed ones sent in the same
/// transaction. A row is published again only after a crash or a lost connection between the
/// confirm and the commit; consumers absorb those duplicates. It wakes on `LISTEN outbox` (the
/// insert trigger notifies at commit) and also polls every ``Configuration/pollInterval``, so a
/// missed notification only delays. Broker or database failures leave rows unsent and the
/// loop retries with exponential backoff; it never spins while idle.
package struct OutboxRelay: Service {
    /// Timings and sizes; the defaults suit a service.
    package struct Configuration: Sendable {
        /// Rows claimed per transaction.
        package var batchSize: Int
        /// The longest the relay sleeps without looking at the table (a missed NOTIFY costs at most this).
        package var pollInterval: Duration
        /// The first wait after a failure; it doubles (less up to a fifth, at random) up to ``retryMaximumDelay``.
        package var retryInitialDelay: Duration
        /// The longest wait between two attempts after failures.
        package var retryMaximumDelay: Duration
        /// How often the backlog gauges are sampled.
        package var metricsInterval: Duration
        /// Sent rows older than this are deleted (checked every ``sweepInterval``).
        package var retention: Duration
        /// How often sent rows past ``retention`` are swept.
        package var sweepInterval: Duration
        /// The exchange events are published to.
        package var exchange: String

        /// A configuration; every value has a default fit for a service.
        package init(
            batchSize: Int = 100,
            pollInterval: Duration = .seconds(2),
            retryInitialDelay: Duration = .milliseconds(200),
            retryMaximumDelay: Duration = .seconds(10),
            metricsInterval: Duration = .seconds(5),
            retention: Duration = .seconds(7 * 24 * 3600),
            sweepInterval: Duration = .seconds(3600),
            exchange: String = EventTopology.exchangeName
        ) {
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.retryInitialDelay = retryInitialDelay
            self.retryMaximumDelay = retryMaximumDelay
            self.metricsInterval = metricsInterval
            self.retention = retention
            self.sweepInterval = sweepInterval
            self.exchange = exchange
        }
    }

    private let database: PostgresClient
    private let amqp: AMQPConnection
    private let logger: Logger
    private let databaseURL: String?
    private let configuration: Configuration
    private let metrics = OutboxMetrics()

    /// A relay over `database`'s outbox publishing through `amqp`.
    ///
    /// - Parameter databaseURL: the primary's URL, for the relay's own `LISTEN` connection; with
    ///   `nil` the relay only polls.
    package init(
        database: PostgresClient,
        amqp: AMQPConnection,
        logger: Logger,
        databaseURL: String? = nil,
        configuration: Configuration = Configuration()
    ) {
        self.database = database
        self.amqp = amqp
        self.logger = logger
        self.databaseURL = databaseURL
        self.configuration = configuration
    }

    /// Relays until cancelled or a graceful shutdown (the batch in flight completes).
    package func run() async throws {
        let wakeUp = WakeUpSignal()
        let listener = databaseURL.map {
            PostgresListener(url: $0, channels: [Outbox.notificationChannel], applicationName: "outbox-relay", logger: logger)
        }
        defer { listener?.stop() }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let listener {
                    group.addTask {
                        // Each commit that wrote events, and each (re)connect of the listener, wakes the loop.
                        for await _ in listener.events { wakeUp.ring() }
                    }
                }
                group.addTask { await relay(wakeUp: wakeUp) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// The loop: publish while there is work, then sleep until notified or the poll interval.
    private func relay(wakeUp: WakeUpSignal) async {
        let clock = ContinuousClock()
        var retries = Backoff(initial: configuration.retryInitialDelay, maximum: configuration.retryMaximumDelay, jitter: 0.2).attempts()
        var exchangeDeclared = false
        var waitingForBroker = 0
        // Waiting for the broker costs nothing, so look often: at most every second.
        let brokerBackoff = Backoff(initial: configuration.retryInitialDelay, maximum: max(configuration.retryInitialDelay, .seconds(1)))
        var brokerWaits = brokerBackoff.attempts()
        var nextMetrics = clock.now
        var nextSweep = clock.now
        while !Task.isCancelled {
            guard amqp.isConnected else {
                // Free to check, so look often (at most every second) and keep the rows untouched.
                waitingForBroker += 1
                if waitingForBroker % 60 == 0 {
                    logger.warning("outbox relay waits for the broker", metadata: ["outbox.checks": "\(waitingForBroker)"])
                }
                try? await Task.sleep(for: brokerWaits.next())
                continue
            }
            waitingForBroker = 0
            brokerWaits.reset()
            do {
                if !exchangeDeclared {
                    try await amqp.declare(EventTopology.exchange)
                    exchangeDeclared = true
                }
                // A batch runs to its end even when the relay is cancelled: stopping between the
                // confirms and the commit would only publish the batch again later.
                let claimed = try await Task { try await publishBatch() }.value  // unstructured: awaited, shielded from cancellation
                if retries.failures > 0 {
                    logger.info("outbox relay recovered", metadata: ["outbox.failed_attempts": "\(retries.failures)"])
                }
                retries.reset()
                if claimed == configuration.batchSize { continue }
            } catch {
                let delay = retries.next()
                let failures = retries.failures
                if let amqpError = error as? AMQPError, amqpError.code == .channelClosed {
                    exchangeDeclared = false
                }
                // The first failure and every tenth at warning: an outage is loud enough.
                let level: Logger.Level = failures == 1 || failures % 10 == 0 ? .warning : .debug
                logger.log(level: level, "outbox relay cannot publish, retrying", metadata: [
                    "outbox.attempt": "\(failures)", "error": "\(String(reflecting: error))",
                ])
                try? await Task.sleep(for: delay)
                continue
            }
            if clock.now >= nextMetrics {
                await sampleBacklog()
                nextMetrics = clock.now + configuration.metricsInterval
            }
            if clock.now >= nextSweep {
                await sweep()
                nextSweep = clock.now + configuration.sweepInterval
            }
            await wakeUp.wait(upTo: configuration.pollInterval)
        }
    }

    /// Claims, publishes and marks one batch; returns how many rows it claimed.
    ///
    /// The batch's publishes are pipelined: all go out in `position` order (each is started as an
    /// immediate task, which hands its message to the connection's thread before the next one
    /// starts), then their confirms are awaited together. The confirmed rows are marked sent even
    /// when others failed (the transaction commits); then the first failure is thrown.
    private func publishBatch() async throws -> Int {
        let (claimed, published, failure): (Int, Int, (any Error)?) = try await database.withTransaction { session in
            let rows = try await session.query("""
                SELECT position, id, type, body, request_id, created_at FROM outbox
                WHERE published_at IS NULL ORDER BY position
                LIMIT \(configuration.batchSize) FOR UPDATE SKIP LOCKED
                """)
            let messages = try rows.map(OutboxMessage.init(row:))
            var sent: [Int64] = []
            sent.reserveCapacity(messages.count)
            var failure: (any Error)?
            await withTaskGroup(of: (OutboxMessage, (any Error)?).self) { group in
                for message in messages {
                    group.addImmediateTask {
                        do {
                            try await publish(message)
                            return (message, nil)
                        } catch {
                            return (message, error)
                        }
                    }
                }
                for await (message, error) in group {
                    if let error {
                        metrics.failures.increment()
                        failure = failure ?? error
                    } else {
                        sent.append(message.position)
                        metrics.publishLag.recordInterval(since: message.createdAt)
                    }
                }
            }
            if !sent.isEmpty {
                let positions = "{" + sent.map(String.init).joined(separator: ",") + "}"
                try await session.query("UPDATE outbox SET published_at = clock_timestamp() WHERE position = ANY(\(positions)::bigint[])")
            }
            return (rows.count, sent.count, failure)
        }
        metrics.published.increment(by: published)
        if let failure { throw failure }
        return claimed
    }

    /// Publishes one row's envelope and waits for the broker's confirm.
    private func publish(_ message: OutboxMessage) async throws {
        try await amqp.publish(
            exchange: configuration.exchange, routingKey: message.type, body: message.body,
            properties: AMQPMessageProperties(
                messageID: message.id.postgresText,
                contentType: "application/json",
                type: message.type,
                persistent: true,
                timestamp: message.createdAt,
                headers: message.requestID.map { ["x-request-id": .string($0)] } ?? [:]
            )
        )
    }

    /// Sets the backlog gauges; a failure only skips the sample.
    private func sampleBacklog() async {
        do {
            let rows = try await database.query("""
                SELECT count(*)::bigint AS backlog,
                       COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS age
                FROM outbox WHERE published_at IS NULL
                """)
            guard let row = rows.first else { return }
            metrics.backlog.record(try row.decode("backlog", as: Int64.self))
            metrics.oldestAge.record(try row.decode("age", as: Double.self))
        } catch {
            logger.debug("outbox backlog sample failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Deletes a bounded number of sent rows older than the retention.
    private func sweep() async {
        let seconds = Double(configuration.retention.components.seconds)
        do {
            let deleted = try await database.query("""
                DELETE FROM outbox WHERE position IN (
                    SELECT position FROM outbox
                    WHERE published_at < clock_timestamp() - make_interval(secs => \(seconds))
                    LIMIT 10000)
                """)
            if deleted.affectedRows > 0 {
                logger.debug("outbox swept", metadata: ["outbox.deleted": "\(deleted.affectedRows)"])
            }
        } catch {
            logger.debug("outbox sweep failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
