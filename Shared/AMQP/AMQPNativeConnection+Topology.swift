import CAMQP
import Glibc

/// Synchronous broker round trips for topology, on a given channel (opened on demand).
extension AMQPNativeConnection {
    /// Declares an exchange (no-op for the default exchange `""`).
    func declare(_ exchange: AMQPExchange, channel: amqp_channel_t) throws(AMQPError) {
        guard !exchange.name.isEmpty else { return }
        try ensureOpen(channel)
        let arena = AMQPCallArena()
        amqp_exchange_declare(
            state, channel, arena.bytes(exchange.name), arena.bytes(exchange.type.rawValue),
            0, exchange.durable ? 1 : 0, exchange.autoDelete ? 1 : 0, 0, arena.table(exchange.arguments)
        )
        try checkLastReply(channel: channel, context: "exchange.declare \(exchange.name)")
    }

    /// Declares a queue with its arguments.
    func declare(_ queue: AMQPQueue, channel: amqp_channel_t) throws(AMQPError) {
        try ensureOpen(channel)
        let arena = AMQPCallArena()
        amqp_queue_declare(
            state, channel, arena.bytes(queue.name), 0, queue.durable ? 1 : 0, queue.exclusive ? 1 : 0,
            queue.autoDelete ? 1 : 0, arena.table(queue.arguments)
        )
        try checkLastReply(channel: channel, context: "queue.declare \(queue.name)")
    }

    /// Binds a queue to an exchange.
    func bind(_ binding: AMQPBinding, channel: amqp_channel_t) throws(AMQPError) {
        try ensureOpen(channel)
        let arena = AMQPCallArena()
        amqp_queue_bind(
            state, channel, arena.bytes(binding.queue), arena.bytes(binding.exchange),
            arena.bytes(binding.routingKey), arena.table(binding.arguments)
        )
        try checkLastReply(channel: channel, context: "queue.bind \(binding.queue) \(binding.exchange)")
    }

    /// Declares exchanges, then queues, then bindings.
    func declare(_ topology: AMQPTopology, channel: amqp_channel_t) throws(AMQPError) {
        for exchange in topology.exchanges { try declare(exchange, channel: channel) }
        for queue in topology.queues { try declare(queue, channel: channel) }
        for binding in topology.bindings { try bind(binding, channel: channel) }
    }

    /// Deletes a queue; returns how many messages it held. Deleting a missing queue succeeds.
    func deleteQueue(_ name: String, channel: amqp_channel_t) throws(AMQPError) -> UInt32 {
        try ensureOpen(channel)
        let arena = AMQPCallArena()
        let ok = amqp_queue_delete(state, channel, arena.bytes(name), 0, 0)
        try checkLastReply(channel: channel, context: "queue.delete \(name)")
        return ok?.pointee.message_count ?? 0
    }

    /// The number of ready messages in a queue (passive declare); a missing queue is a 404 error.
    func messageCount(queue: String, channel: amqp_channel_t) throws(AMQPError) -> UInt32 {
        try ensureOpen(channel)
        let arena = AMQPCallArena()
        let ok = amqp_queue_declare(state, channel, arena.bytes(queue), 1, 0, 0, 0, amqp_table_t(num_entries: 0, entries: nil))
        try checkLastReply(channel: channel, context: "queue.declare passive \(queue)")
        guard let ok else { throw AMQPError(.protocolError, detail: "queue.declare-ok missing") }
        return ok.pointee.message_count
    }

    /// One cheap broker round trip (a passive declare of `amq.direct`) bounded by `timeout`.
    func roundTrip(channel: amqp_channel_t, timeout: Duration, restoring rpcTimeout: Duration) throws(AMQPError) {
        try ensureOpen(channel)
        var wait = timeval(timeout)
        amqp_set_rpc_timeout(state, &wait)
        defer {
            var restore = timeval(rpcTimeout)
            amqp_set_rpc_timeout(state, &restore)
        }
        let arena = AMQPCallArena()
        amqp_exchange_declare(state, channel, arena.bytes("amq.direct"), arena.bytes("direct"), 1, 0, 0, 0, amqp_table_t(num_entries: 0, entries: nil))
        try checkLastReply(channel: channel, context: "ping")
    }
}
