import Logging

/// A RabbitMQ connection for publishing with confirms, declaring topology and readiness checks.
///
/// It owns one thread on which every rabbitmq-c call happens; the async methods queue work to
/// it. The thread connects in the background right away and reconnects with exponential
/// backoff (``AMQPConfiguration/reconnectInitialDelay`` doubling up to
/// ``AMQPConfiguration/reconnectMaximumDelay``) whenever the broker goes away. A call made while
/// disconnected waits up to ``AMQPConfiguration/reconnectWaitTimeout`` and then throws
/// `AMQPError.notConnected`.
///
/// Topology: the `topology` given to `init` is declared again after every reconnect. The
/// `declare`/`bind` methods act once and are not remembered: register what must survive a
/// broker restart (non-durable parts) in `init`, or declare it again yourself.
///
/// Errors thrown are ``AMQPError``s.
package final class AMQPConnection: Sendable {
    private let loop: AMQPConnectionLoop
    private let session: AMQPConnectionSession

    /// Starts connecting to the broker; `topology` is declared on every (re)connect.
    package init(configuration: AMQPConfiguration, topology: AMQPTopology = AMQPTopology(), logger: Logger) {
        session = AMQPConnectionSession(topology: topology, confirmTimeout: configuration.confirmTimeout, logger: logger)
        loop = AMQPConnectionLoop(configuration: configuration, role: session, logger: logger, threadName: "amqp-connection")
        loop.start()
    }

    deinit {
        loop.requestStop()
    }

    /// Whether the connection is up right now (no round trip; see ``ping(timeout:)``).
    package var isConnected: Bool { loop.isConnected }

    /// Publishes a message and returns once the broker confirmed it (basic.ack).
    ///
    /// Throws when the broker nacks it, when it is `mandatory` and no queue took it, when the
    /// channel or the connection is lost before the confirm, or when no confirm comes within
    /// ``AMQPConfiguration/confirmTimeout``. After an error the message may or may not have been
    /// taken: retry it, and make consumers idempotent (duplicates, never losses).
    package func publish(
        exchange: String,
        routingKey: String,
        body: [UInt8],
        properties: AMQPMessageProperties = AMQPMessageProperties(),
        mandatory: Bool = false
    ) async throws {
        let session = self.session
        let deadline = ContinuousClock.now + loop.configuration.reconnectWaitTimeout
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            loop.submit(AMQPCommand(
                run: { connection, _ in
                    try session.publish(
                        exchange: exchange, routingKey: routingKey, body: body, properties: properties,
                        mandatory: mandatory, continuation: continuation, on: connection
                    )
                },
                fail: { continuation.resume(throwing: $0) },
                waitsForConnection: true,
                retriesOnConnectionLoss: false,
                deadline: deadline
            ))
        }
    }

    /// Declares an exchange (idempotent while its settings do not change).
    package func declare(_ exchange: AMQPExchange) async throws {
        try await control { connection, channel in try connection.declare(exchange, channel: channel) }
    }

    /// Declares a queue (idempotent while its arguments do not change; a change is a 406 error).
    package func declare(_ queue: AMQPQueue) async throws {
        try await control { connection, channel in try connection.declare(queue, channel: channel) }
    }

    /// Binds a queue to an exchange (idempotent).
    package func bind(_ binding: AMQPBinding) async throws {
        try await control { connection, channel in try connection.bind(binding, channel: channel) }
    }

    /// Declares exchanges, queues, then bindings, once (not re-declared after a reconnect).
    package func declare(_ topology: AMQPTopology) async throws {
        try await control { connection, channel in try connection.declare(topology, channel: channel) }
    }

    /// Deletes a queue and returns how many messages it held (0 if it did not exist).
    @discardableResult
    package func deleteQueue(_ name: String) async throws -> UInt32 {
        try await control { connection, channel in try connection.deleteQueue(name, channel: channel) }
    }

    /// How many messages are ready in a queue; a missing queue throws with `isNotFound`.
    package func messageCount(queue: String) async throws -> UInt32 {
        try await control { connection, channel in try connection.messageCount(queue: queue, channel: channel) }
    }

    /// A real round trip to the broker, for `/ready`: throws at once when disconnected
    /// (no waiting for a reconnect), or when the broker does not answer within `timeout`.
    package func ping(timeout: Duration = .seconds(2)) async throws {
        let rpcTimeout = loop.configuration.rpcTimeout
        try await loop.perform(waitsForConnection: false) { connection, _ in
            try connection.roundTrip(channel: AMQPConnectionSession.controlChannel, timeout: timeout, restoring: rpcTimeout)
        }
    }

    /// Waits for outstanding confirms (a few seconds at most), closes the connection and stops
    /// the thread; later calls throw `.shutdown`.
    package func close() async {
        await loop.stop()
    }

    /// Runs an idempotent control-channel call; it runs once more if the connection turned out
    /// to be dead (a broker restart the thread had not noticed yet).
    private func control<Result: Sendable>(
        _ work: @escaping @Sendable (AMQPNativeConnection, UInt16) throws -> Result
    ) async throws -> Result {
        try await loop.perform(retriesOnConnectionLoss: true) { connection, _ in
            try work(connection, AMQPConnectionSession.controlChannel)
        }
    }
}
