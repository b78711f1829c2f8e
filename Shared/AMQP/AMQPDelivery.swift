/// One message handed to a consumer; settle it with ``AMQPConsumer/settle(_:_:)``.
package struct AMQPDelivery: Sendable {
    /// The message body.
    package let body: [UInt8]
    /// The exchange the message was published to (empty for the default exchange).
    package let exchange: String
    /// The routing key it was published with.
    package let routingKey: String
    /// The broker's tag for this delivery on its channel; valid only on the connection that received it.
    package let deliveryTag: UInt64
    /// True when the broker delivered this message before (nacked, or its consumer went away).
    package let redelivered: Bool
    /// The message's properties: id, content type, headers…
    package let properties: AMQPMessageProperties
    /// Which connection of the consumer received it; acks for an older connection are dropped.
    let connectionGeneration: UInt64

    /// A delivery as read from the wire.
    init(body: [UInt8], exchange: String, routingKey: String, deliveryTag: UInt64, redelivered: Bool, properties: AMQPMessageProperties, connectionGeneration: UInt64) {
        self.body = body
        self.exchange = exchange
        self.routingKey = routingKey
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.properties = properties
        self.connectionGeneration = connectionGeneration
    }

    /// The message id property.
    package var messageID: String? { properties.messageID }

    /// The application headers.
    package var headers: [String: AMQPFieldValue] { properties.headers }

    /// The entries of the `x-death` header the broker adds each time it dead-letters the message.
    package var deaths: [AMQPDeath] {
        guard case .array(let entries)? = headers["x-death"] else { return [] }
        return entries.compactMap { entry in
            guard case .table(let table) = entry else { return nil }
            return AMQPDeath(
                queue: table["queue"]?.stringValue ?? "",
                reason: table["reason"]?.stringValue ?? "",
                exchange: table["exchange"]?.stringValue ?? "",
                count: Int(table["count"]?.intValue ?? 0)
            )
        }
    }

    /// How many times the message was dead-lettered, or 0: the highest `count` among `x-death` entries.
    ///
    /// With a retry loop (work queue → retry queue with a TTL → back), each lap adds one to the
    /// count of both entries, so the highest count is the number of laps.
    package var deathCount: Int {
        deaths.map(\.count).max() ?? 0
    }
}

/// One `x-death` entry: a queue the message was dead-lettered from, why, and how often.
package struct AMQPDeath: Sendable, Equatable {
    /// The queue the message left.
    package let queue: String
    /// `rejected`, `expired`, `maxlen` or `delivery_limit`.
    package let reason: String
    /// The exchange the message had been published to before.
    package let exchange: String
    /// How many times this happened for this queue and reason.
    package let count: Int
}
