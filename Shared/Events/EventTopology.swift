import AMQP

/// The RabbitMQ topology of one consuming service's queue, with its retry path and dead-letter queue.
///
/// - the durable topic exchange ``exchangeName`` that every relay publishes to, the event type
///   being the routing key;
/// - the work queue (e.g. `notifier.events`), bound to the event types the service needs;
/// - one retry queue per attempt, `<queue>.retry.<n>`, with no consumer and a message TTL of
///   `retryDelays[n-1]`, dead-lettering back into the work queue when the TTL expires (a
///   per-attempt queue rather than per-message TTLs: a queue expires only its head, so mixed
///   delays in one queue would hold short ones behind long ones);
/// - the dead-letter queue `<queue>.dead`, where a message lands after its last attempt (published
///   there by the consumer with its attempt count), or when it was delivered `deliveryLimit` times
///   without being settled (a handler that kills its process, dead-lettered by the broker).
///
/// All queues are quorum queues with at-least-once dead-lettering (see docs/events.md). Their
/// arguments derive from `retryDelays` and `deliveryLimit` only, and RabbitMQ refuses to
/// redeclare a queue with other arguments: keep the defaults for the real queues.
package struct EventTopology: Sendable, Equatable {
    /// The durable topic exchange for domain events.
    package static let exchangeName = "rendezvous.events"

    /// The exchange declaration, identical for every producer and consumer.
    package static let exchange = AMQPExchange(name: exchangeName, type: .topic, durable: true)

    /// The default wait before each retry: 1 s, 10 s, 60 s, 5 min (then the dead-letter queue).
    package static let defaultRetryDelays: [Duration] = [.seconds(1), .seconds(10), .seconds(60), .seconds(300)]

    /// The default number of unsettled deliveries after which the broker dead-letters a message.
    package static let defaultDeliveryLimit = 20

    /// The work queue's name, e.g. `notifier.events`.
    package var queue: String
    /// The routing keys (event types or topic patterns such as `booking.*`) bound to the queue.
    package var bindings: [String]
    /// The wait before retry n (1-based) is `retryDelays[n - 1]`; a message has `retryDelays.count + 1` attempts.
    package var retryDelays: [Duration]
    /// `x-delivery-limit` of the work queue.
    package var deliveryLimit: Int

    /// A queue's topology; the defaults are the ones every real service queue uses.
    package init(
        queue: String,
        bindings: [String],
        retryDelays: [Duration] = EventTopology.defaultRetryDelays,
        deliveryLimit: Int = EventTopology.defaultDeliveryLimit
    ) {
        self.queue = queue
        self.bindings = bindings
        self.retryDelays = retryDelays
        self.deliveryLimit = deliveryLimit
    }

    /// How many times a message is handled before it is dead-lettered.
    package var maximumAttempts: Int { retryDelays.count + 1 }

    /// The queue a message waits in before attempt `attempt + 1` (`attempt` is 1-based).
    package func retryQueue(after attempt: Int) -> String {
        "\(queue).retry.\(attempt)"
    }

    /// The dead-letter queue.
    package var deadLetterQueue: String { "\(queue).dead" }

    /// Every queue of this topology: work, retries, dead letters.
    package var queueNames: [String] {
        [queue] + retryDelays.indices.map { retryQueue(after: $0 + 1) } + [deadLetterQueue]
    }

    /// How long the broker keeps a test's queues unused before deleting them (`x-expires`): a
    /// test run that dies before its clean-up must not leave queues that collect every later
    /// event. Test queues are the ones named `test.…` or `….test.…`; service queues never expire.
    package static let testQueueExpiry: Int64 = 15 * 60 * 1000

    /// Whether this is a test's queue (see ``testQueueExpiry``).
    package var isTestQueue: Bool { queue.hasPrefix("test.") || queue.contains(".test.") }

    /// What the consumer declares on every (re)connect.
    package var amqpTopology: AMQPTopology {
        let expiry: [String: AMQPFieldValue] = isTestQueue ? ["x-expires": .int(Self.testQueueExpiry)] : [:]
        let reliableDeadLettering: [String: AMQPFieldValue] = [
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        ].merging(expiry) { $1 }
        let work = AMQPQueue(
            name: queue, kind: .quorum,
            deadLetterExchange: "", deadLetterRoutingKey: deadLetterQueue,
            deliveryLimit: Int64(deliveryLimit), extraArguments: reliableDeadLettering
        )
        let retries = retryDelays.enumerated().map { index, delay in
            AMQPQueue(
                name: retryQueue(after: index + 1), kind: .quorum,
                deadLetterExchange: "", deadLetterRoutingKey: queue,
                messageTTLMilliseconds: max(1, Int64(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)),
                extraArguments: reliableDeadLettering
            )
        }
        let dead = AMQPQueue(name: deadLetterQueue, kind: .quorum, extraArguments: expiry)
        return AMQPTopology(
            exchanges: [Self.exchange],
            queues: [work] + retries + [dead],
            bindings: bindings.map { AMQPBinding(queue: queue, exchange: Self.exchangeName, routingKey: $0) }
        )
    }
}
