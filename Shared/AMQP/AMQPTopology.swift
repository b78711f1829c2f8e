/// The exchanges, queues and bindings an application needs, declared in that order.
///
/// A topology given to ``AMQPConnection`` or ``AMQPConsumer`` is declared again on every
/// (re)connect, so non-durable parts come back after a broker restart. Declarations are
/// idempotent as long as their arguments do not change (a changed argument is a 406 error).
package struct AMQPTopology: Sendable, Equatable {
    /// Exchanges, declared first.
    package var exchanges: [AMQPExchange]
    /// Queues, declared second.
    package var queues: [AMQPQueue]
    /// Bindings, declared last.
    package var bindings: [AMQPBinding]

    /// A topology from its parts.
    package init(exchanges: [AMQPExchange] = [], queues: [AMQPQueue] = [], bindings: [AMQPBinding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// True when there is nothing to declare.
    package var isEmpty: Bool { exchanges.isEmpty && queues.isEmpty && bindings.isEmpty }
}
