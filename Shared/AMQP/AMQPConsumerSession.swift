import CAMQP
import Logging

/// The consuming side of an ``AMQPConsumer``: declares its topology, sets the prefetch,
/// subscribes with manual acks on channel 1, and turns deliveries into ``AMQPDelivery`` values.
final class AMQPConsumerSession: AMQPConnectionRole, @unchecked Sendable {
    // @unchecked Sendable: commands capture it, but every method and property is used only on
    // the connection loop's thread (the stream continuation is itself thread-safe).

    /// The channel the subscription lives on.
    static let channel: amqp_channel_t = 1

    private let queue: String
    private let prefetch: UInt16
    private let topology: AMQPTopology
    private let deliveries: AsyncStream<AMQPDelivery>.Continuation
    private let logger: Logger
    private var generation: UInt64 = 0
    private var consumerTag: String?

    init(queue: String, prefetch: UInt16, topology: AMQPTopology, deliveries: AsyncStream<AMQPDelivery>.Continuation, logger: Logger) {
        self.queue = queue
        self.prefetch = prefetch
        self.topology = topology
        self.deliveries = deliveries
        self.logger = logger
    }

    /// Acks, nacks or rejects a delivery; false (and nothing sent) when it came on an earlier
    /// connection, whose deliveries the broker redelivers anyway.
    func settle(_ delivery: AMQPDelivery, _ disposition: AMQPDisposition, on connection: AMQPNativeConnection, generation: UInt64) throws(AMQPError) -> Bool {
        guard delivery.connectionGeneration == generation, connection.isOpen(Self.channel) else {
            logger.debug("AMQP settle dropped: delivery from an earlier connection", metadata: ["amqp.delivery_tag": "\(delivery.deliveryTag)"])
            return false
        }
        let status: Int32
        switch disposition {
        case .ack:
            status = amqp_basic_ack(connection.state, Self.channel, delivery.deliveryTag, 0)
        case .nack(let requeue):
            status = amqp_basic_nack(connection.state, Self.channel, delivery.deliveryTag, 0, requeue ? 1 : 0)
        case .reject(let requeue):
            status = amqp_basic_reject(connection.state, Self.channel, delivery.deliveryTag, requeue ? 1 : 0)
        }
        try connection.check(status: status, context: "settle delivery")
        return true
    }

    // MARK: AMQPConnectionRole

    func connectionOpened(_ connection: AMQPNativeConnection, generation: UInt64) throws(AMQPError) {
        try connection.ensureOpen(Self.channel)
        try connection.declare(topology, channel: Self.channel)
        amqp_basic_qos(connection.state, Self.channel, 0, prefetch, 0)
        try connection.checkLastReply(channel: Self.channel, context: "basic.qos")
        let arena = AMQPCallArena()
        let ok = amqp_basic_consume(
            connection.state, Self.channel, arena.bytes(queue), amqp_bytes_t(len: 0, bytes: nil), 0, 0, 0,
            amqp_table_t(num_entries: 0, entries: nil)
        )
        try connection.checkLastReply(channel: Self.channel, context: "basic.consume \(queue)")
        consumerTag = ok?.pointee.consumer_tag.string
        self.generation = generation
        logger.debug("AMQP consumer subscribed", metadata: ["amqp.queue": "\(queue)", "amqp.generation": "\(generation)"])
    }

    func handle(_ frame: amqp_frame_t, on connection: AMQPNativeConnection) throws(AMQPError) {
        guard frame.channel == Self.channel else { return }
        let method = frame.payload.method
        switch method.id {
        case AMQPMethod.basicDeliver:
            // Copy the method's fields before reading on: its memory belongs to rabbitmq-c.
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            let exchange = deliver.exchange.string
            let routingKey = deliver.routing_key.string
            let tag = deliver.delivery_tag
            let redelivered = deliver.redelivered != 0
            let message = try connection.readMessage(channel: Self.channel)
            deliveries.yield(AMQPDelivery(
                body: message.body, exchange: exchange, routingKey: routingKey, deliveryTag: tag,
                redelivered: redelivered, properties: message.properties, connectionGeneration: generation
            ))
        case AMQPMethod.basicCancel:
            // The broker cancelled us (queue deleted, node down): start over on a new connection,
            // which declares the topology again and resubscribes.
            throw AMQPError(.connectionLost, detail: "broker cancelled the consumer of \(queue)")
        default:
            return
        }
    }

    func channelClosed(_ channel: amqp_channel_t, error: AMQPError, on connection: AMQPNativeConnection) throws(AMQPError) {
        guard channel == Self.channel else { return }
        throw error
    }

    func connectionLost(_ error: AMQPError) {
        consumerTag = nil
    }

    var nextDeadline: ContinuousClock.Instant? { nil }

    func expire(now: ContinuousClock.Instant) {}

    var hasOutstandingWork: Bool { false }

    func shuttingDown(_ connection: AMQPNativeConnection) {
        guard let consumerTag else { return }
        let arena = AMQPCallArena()
        amqp_basic_cancel(connection.state, Self.channel, arena.bytes(consumerTag))
        try? connection.checkLastReply(channel: Self.channel, context: "basic.cancel")
    }

    func finished() {
        deliveries.finish()
    }
}
