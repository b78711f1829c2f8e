/// How an exchange routes messages to its bound queues.
package enum AMQPExchangeType: String, Sendable {
    /// By exact routing key.
    case direct
    /// By routing-key pattern (`booking.*`, `#`).
    case topic
    /// To every bound queue.
    case fanout
    /// By header values.
    case headers
}

/// An exchange to declare.
package struct AMQPExchange: Sendable, Equatable {
    /// The exchange name.
    package var name: String
    /// How it routes.
    package var type: AMQPExchangeType
    /// Whether it survives a broker restart.
    package var durable: Bool
    /// Whether the broker deletes it when its last binding goes.
    package var autoDelete: Bool
    /// Extra arguments (e.g. `alternate-exchange`).
    package var arguments: [String: AMQPFieldValue]

    /// A durable exchange unless told otherwise.
    package init(name: String, type: AMQPExchangeType, durable: Bool = true, autoDelete: Bool = false, arguments: [String: AMQPFieldValue] = [:]) {
        self.name = name
        self.type = type
        self.durable = durable
        self.autoDelete = autoDelete
        self.arguments = arguments
    }
}
