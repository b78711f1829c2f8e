import CAMQP
import Logging

/// The publishing side of an ``AMQPConnection``: channel 1 in confirm mode for publishes,
/// channel 2 for topology and pings, and the table of publishes awaiting their confirm.
///
/// Publisher confirms in rabbitmq-c 0.11 are plain frames: after `confirm.select` the broker
/// numbers publishes 1, 2, 3… per channel and answers each with basic.ack or basic.nack (possibly
/// `multiple`, covering every tag up to it). A mandatory message that no queue takes comes
/// back first as basic.return, then is acked.
final class AMQPConnectionSession: AMQPConnectionRole, @unchecked Sendable {
    // @unchecked Sendable: commands capture it, but every method and property is used only on
    // the connection loop's thread.

    /// The channel publishes go out on (confirm mode).
    static let publishChannel: amqp_channel_t = 1
    /// The channel for declares, deletes, passive declares and pings, so that a refused
    /// declare does not close the publishing channel.
    static let controlChannel: amqp_channel_t = 2

    private struct PendingConfirm {
        let continuation: CheckedContinuation<Void, any Error>
        let deadline: ContinuousClock.Instant
        /// (exchange, routing key, message id) of a mandatory publish, to match a basic.return.
        let returnKey: [String]?
        var returned = false
    }

    private let topology: AMQPTopology
    private let confirmTimeout: Duration
    private let logger: Logger
    private var nextPublishTag: UInt64 = 1
    private var pending: [UInt64: PendingConfirm] = [:]

    init(topology: AMQPTopology, confirmTimeout: Duration, logger: Logger) {
        self.topology = topology
        self.confirmTimeout = confirmTimeout
        self.logger = logger
    }

    // MARK: Publishing

    /// Sends one message; `continuation` completes when the broker confirms or refuses it.
    func publish(
        exchange: String, routingKey: String, body: [UInt8], properties: AMQPMessageProperties, mandatory: Bool,
        continuation: CheckedContinuation<Void, any Error>, on connection: AMQPNativeConnection
    ) throws(AMQPError) {
        try openPublishChannel(connection)
        let arena = AMQPCallArena()
        var cProperties = properties.cValue(in: arena)
        let exchangeBytes = arena.bytes(exchange)
        let routingKeyBytes = arena.bytes(routingKey)
        // The body pointer is valid for this call only, which is all amqp_basic_publish needs:
        // it writes the frames before returning.
        let status = body.withUnsafeBytes { raw in
            amqp_basic_publish(
                connection.state, Self.publishChannel, exchangeBytes, routingKeyBytes, mandatory ? 1 : 0, 0,
                &cProperties, amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            )
        }
        try connection.check(status: status, context: "basic.publish")
        pending[nextPublishTag] = PendingConfirm(
            continuation: continuation,
            deadline: .now + confirmTimeout,
            returnKey: mandatory ? [exchange, routingKey, properties.messageID ?? ""] : nil
        )
        nextPublishTag += 1
    }

    private func openPublishChannel(_ connection: AMQPNativeConnection) throws(AMQPError) {
        guard try connection.ensureOpen(Self.publishChannel) else { return }
        amqp_confirm_select(connection.state, Self.publishChannel)
        try connection.checkLastReply(channel: Self.publishChannel, context: "confirm.select")
        nextPublishTag = 1
    }

    /// Completes the publishes a basic.ack or basic.nack covers.
    private func settle(tag: UInt64, multiple: Bool, nacked: Bool) {
        let tags = multiple ? pending.keys.filter { tag == 0 || $0 <= tag }.sorted() : [tag]
        for tag in tags {
            guard let confirm = pending.removeValue(forKey: tag) else { continue }
            if nacked {
                confirm.continuation.resume(throwing: AMQPError(.publishNacked, detail: "basic.nack for delivery tag \(tag)"))
            } else if confirm.returned {
                confirm.continuation.resume(throwing: AMQPError(.unroutable, detail: "basic.return for delivery tag \(tag)"))
            } else {
                confirm.continuation.resume()
            }
        }
    }

    private func failAll(_ error: AMQPError) {
        let confirms = pending
        pending = [:]
        for (_, confirm) in confirms.sorted(by: { $0.key < $1.key }) {
            confirm.continuation.resume(throwing: error)
        }
    }

    // MARK: AMQPConnectionRole

    func connectionOpened(_ connection: AMQPNativeConnection, generation: UInt64) throws(AMQPError) {
        try openPublishChannel(connection)
        try connection.ensureOpen(Self.controlChannel)
        try connection.declare(topology, channel: Self.controlChannel)
    }

    func handle(_ frame: amqp_frame_t, on connection: AMQPNativeConnection) throws(AMQPError) {
        guard frame.channel == Self.publishChannel else { return }
        let method = frame.payload.method
        switch method.id {
        case AMQPMethod.basicAck:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            settle(tag: ack.delivery_tag, multiple: ack.multiple != 0, nacked: false)
        case AMQPMethod.basicNack:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            settle(tag: nack.delivery_tag, multiple: nack.multiple != 0, nacked: true)
        case AMQPMethod.basicReturn:
            let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            let exchange = returned.exchange.string
            let routingKey = returned.routing_key.string
            let replyCode = returned.reply_code
            let message = try connection.readMessage(channel: Self.publishChannel)
            let key = [exchange, routingKey, message.properties.messageID ?? ""]
            if let tag = pending.filter({ $0.value.returnKey == key && !$0.value.returned }).keys.min() {
                pending[tag]?.returned = true
            }
            logger.debug("AMQP message returned unroutable", metadata: [
                "amqp.exchange": "\(exchange)", "amqp.routing_key": "\(routingKey)", "amqp.reply_code": "\(replyCode)",
            ])
        default:
            return
        }
    }

    func channelClosed(_ channel: amqp_channel_t, error: AMQPError, on connection: AMQPNativeConnection) throws(AMQPError) {
        // Unconfirmed publishes on a closed channel are lost to us: fail them; the channel
        // (and confirm mode, with tags from 1) is opened again by the next publish.
        if channel == Self.publishChannel {
            failAll(error)
        }
    }

    func connectionLost(_ error: AMQPError) {
        failAll(error.code == .shutdown ? error : AMQPError(.connectionLost, replyCode: error.replyCode, detail: error.detail))
    }

    var nextDeadline: ContinuousClock.Instant? {
        pending.values.lazy.map(\.deadline).min()
    }

    func expire(now: ContinuousClock.Instant) {
        guard let earliest = nextDeadline, earliest <= now else { return }
        for (tag, confirm) in pending where confirm.deadline <= now {
            pending[tag] = nil
            confirm.continuation.resume(throwing: AMQPError(.confirmTimeout, detail: "no confirm for delivery tag \(tag)"))
        }
    }

    var hasOutstandingWork: Bool { !pending.isEmpty }

    func shuttingDown(_ connection: AMQPNativeConnection) {}

    func finished() {}
}
