/// A binding of a queue to an exchange under a routing key (or pattern).
package struct AMQPBinding: Sendable, Equatable {
    /// The queue that receives.
    package var queue: String
    /// The exchange it listens to.
    package var exchange: String
    /// The routing key or topic pattern.
    package var routingKey: String
    /// Extra arguments (headers exchanges).
    package var arguments: [String: AMQPFieldValue]

    /// A binding from its parts.
    package init(queue: String, exchange: String, routingKey: String, arguments: [String: AMQPFieldValue] = [:]) {
        self.queue = queue
        self.exchange = exchange
        self.routingKey = routingKey
        self.arguments = arguments
    }
}
