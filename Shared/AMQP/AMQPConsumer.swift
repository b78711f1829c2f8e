import Logging

/// A queue consumer with manual acks on its own connection and thread.
///
/// Deliveries arrive through ``deliveries`` (iterate it once) and are settled with
/// ``settle(_:_:)``, which queues the ack to the consumer's thread; or hand a closure to
/// ``run(_:)``. At most `prefetch` deliveries are unsettled at a time (basic.qos).
///
/// After the broker goes away the consumer reconnects with backoff, declares its topology
/// again and resubscribes by itself; deliveries from the dead connection cannot be settled
/// any more (``settle(_:_:)`` returns false) and the broker redelivers them with
/// `redelivered` set. ``stop()``, or cancelling the task that iterates ``deliveries``, ends
/// the sequence; unsettled deliveries go back to the queue. While the queue is missing (and
/// `topology` does not declare it) the consumer keeps retrying with backoff, logging a warning.
package final class AMQPConsumer: Sendable {
    /// The deliveries, in arrival order; finishes when the consumer stops.
    package let deliveries: AsyncStream<AMQPDelivery>
    private let loop: AMQPConnectionLoop
    private let session: AMQPConsumerSession

    /// Starts consuming `queue`; `topology` is declared (on every connect) before subscribing.
    package init(
        configuration: AMQPConfiguration,
        queue: String,
        prefetch: UInt16 = 16,
        topology: AMQPTopology = AMQPTopology(),
        logger: Logger
    ) {
        let (stream, continuation) = AsyncStream.makeStream(of: AMQPDelivery.self)
        deliveries = stream
        session = AMQPConsumerSession(queue: queue, prefetch: max(prefetch, 1), topology: topology, deliveries: continuation, logger: logger)
        loop = AMQPConnectionLoop(configuration: configuration, role: session, logger: logger, threadName: "amqp-consumer")
        let loop = self.loop
        continuation.onTermination = { _ in loop.requestStop() }
        loop.start()
    }

    deinit {
        loop.requestStop()
    }

    /// Whether the consumer's connection is up right now.
    package var isConnected: Bool { loop.isConnected }

    /// Acks, nacks or rejects a delivery on the consumer's thread; returns once it was sent.
    ///
    /// Returns false when the delivery came on a connection that is gone (the broker redelivers
    /// it) or the consumer stopped.
    @discardableResult
    package func settle(_ delivery: AMQPDelivery, _ disposition: AMQPDisposition) async -> Bool {
        let session = self.session
        return (try? await loop.perform(waitsForConnection: false) { connection, generation in
            try session.settle(delivery, disposition, on: connection, generation: generation)
        }) ?? false
    }

    /// Handles deliveries one at a time until the consumer stops, settling each as `handler` says.
    package func run(_ handler: @Sendable (AMQPDelivery) async -> AMQPDisposition) async {
        for await delivery in deliveries {
            let disposition = await handler(delivery)
            await settle(delivery, disposition)
        }
    }

    /// Stops consuming: settles already queued are sent, the subscription is cancelled, the
    /// connection closed, and ``deliveries`` finishes.
    package func stop() async {
        await loop.stop()
    }
}
