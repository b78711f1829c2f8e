/// A queue to declare, with the usual RabbitMQ arguments spelled out.
package struct AMQPQueue: Sendable, Equatable {
    /// The kind of queue (`x-queue-type`).
    package enum Kind: String, Sendable {
        /// A classic queue.
        case classic
        /// A replicated quorum queue (durable only; supports `x-delivery-limit`).
        case quorum
    }

    /// The queue name.
    package var name: String
    /// Whether it survives a broker restart.
    package var durable: Bool
    /// Whether only the declaring connection may use it (and it goes away with it).
    package var exclusive: Bool
    /// Whether the broker deletes it when its last consumer goes.
    package var autoDelete: Bool
    /// `x-queue-type`, or nil for the broker's default.
    package var kind: Kind?
    /// `x-dead-letter-exchange`: where rejected or expired messages go.
    package var deadLetterExchange: String?
    /// `x-dead-letter-routing-key`: the routing key they get there.
    package var deadLetterRoutingKey: String?
    /// `x-message-ttl` in milliseconds: how long a message may wait in the queue.
    package var messageTTLMilliseconds: Int64?
    /// `x-delivery-limit` (quorum queues): deliveries before the message is dead-lettered.
    package var deliveryLimit: Int64?
    /// Any other arguments; these win over the typed ones above.
    package var extraArguments: [String: AMQPFieldValue]

    /// A durable queue unless told otherwise.
    package init(
        name: String,
        durable: Bool = true,
        exclusive: Bool = false,
        autoDelete: Bool = false,
        kind: Kind? = nil,
        deadLetterExchange: String? = nil,
        deadLetterRoutingKey: String? = nil,
        messageTTLMilliseconds: Int64? = nil,
        deliveryLimit: Int64? = nil,
        extraArguments: [String: AMQPFieldValue] = [:]
    ) {
        self.name = name
        self.durable = durable
        self.exclusive = exclusive
        self.autoDelete = autoDelete
        self.kind = kind
        self.deadLetterExchange = deadLetterExchange
        self.deadLetterRoutingKey = deadLetterRoutingKey
        self.messageTTLMilliseconds = messageTTLMilliseconds
        self.deliveryLimit = deliveryLimit
        self.extraArguments = extraArguments
    }

    /// The `queue.declare` arguments table.
    package var arguments: [String: AMQPFieldValue] {
        var arguments: [String: AMQPFieldValue] = [:]
        if let kind { arguments["x-queue-type"] = .string(kind.rawValue) }
        if let deadLetterExchange { arguments["x-dead-letter-exchange"] = .string(deadLetterExchange) }
        if let deadLetterRoutingKey { arguments["x-dead-letter-routing-key"] = .string(deadLetterRoutingKey) }
        if let messageTTLMilliseconds { arguments["x-message-ttl"] = .int(messageTTLMilliseconds) }
        if let deliveryLimit { arguments["x-delivery-limit"] = .int(deliveryLimit) }
        arguments.merge(extraArguments) { _, extra in extra }
        return arguments
    }
}
