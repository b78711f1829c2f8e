import AMQP
import Foundation
import Testing
import TestSupport

/// Tests against the real RabbitMQ (the broker-restart test is in `AMQPFaultTests`).
@Suite("AMQP against RabbitMQ", .serialized)
struct AMQPBrokerTests {
    let configuration: AMQPConfiguration

    init() throws {
        configuration = try TestEnvironment.amqpConfiguration()
    }

    @Test("declare, bind, publish with confirm, consume, ack: properties and headers round-trip")
    func roundTrip() async throws {
        let connection = AMQPConnection(configuration: configuration, logger: testLogger("rt"))
        let exchange = AMQPTestSupport.freshName("events")
        let queue = AMQPTestSupport.freshName("booking-created")
        try await connection.declare(AMQPExchange(name: exchange, type: .topic))
        try await connection.declare(AMQPQueue(name: queue, kind: .quorum))
        try await connection.bind(AMQPBinding(queue: queue, exchange: exchange, routingKey: "booking.*"))
        // Declaring again is idempotent.
        try await connection.declare(AMQPTopology(
            exchanges: [AMQPExchange(name: exchange, type: .topic)],
            queues: [AMQPQueue(name: queue, kind: .quorum)],
            bindings: [AMQPBinding(queue: queue, exchange: exchange, routingKey: "booking.*")]
        ))
        try await connection.ping()

        let timestamp = Date(timeIntervalSince1970: 1_790_000_000)
        let properties = AMQPMessageProperties(
            messageID: "evt-1", contentType: "application/json", correlationID: "corr-9", type: "booking.created",
            timestamp: timestamp,
            headers: ["x-request-id": "req-42", "x-attempt": 3, "x-flag": true]
        )
        let body = Array(#"{"booking":"b-1","é":"ü"}"#.utf8)
        try await connection.publish(exchange: exchange, routingKey: "booking.created", body: body, properties: properties)

        let consumer = AMQPConsumer(configuration: configuration, queue: queue, prefetch: 4, logger: testLogger("rt.consumer"))
        let collector = DeliveryCollector()
        await collector.start(consumer) { _ in .ack }
        let deliveries = await collector.waitFor(count: 1)
        try #require(deliveries.count == 1)
        let delivery = deliveries[0]
        #expect(delivery.body == body)
        #expect(delivery.exchange == exchange)
        #expect(delivery.routingKey == "booking.created")
        #expect(!delivery.redelivered)
        #expect(delivery.messageID == "evt-1")
        #expect(delivery.properties.contentType == "application/json")
        #expect(delivery.properties.correlationID == "corr-9")
        #expect(delivery.properties.type == "booking.created")
        #expect(delivery.properties.persistent)
        #expect(delivery.properties.timestamp == timestamp)
        #expect(delivery.headers["x-request-id"] == .string("req-42"))
        #expect(delivery.headers["x-attempt"]?.intValue == 3)
        #expect(delivery.headers["x-flag"] == .bool(true))
        #expect(delivery.deathCount == 0)

        await consumer.stop()
        await collector.finished()
        // Acked: nothing comes back once the consumer is gone.
        #expect(try await connection.messageCount(queue: queue) == 0)
        try await connection.deleteQueue(queue)
        await connection.close()
    }

    @Test("nack with requeue comes back redelivered; reject without requeue goes to the dead-letter queue")
    func nackAndDeadLetter() async throws {
        let connection = AMQPConnection(configuration: configuration, logger: testLogger("dlx"))
        let work = AMQPTestSupport.freshName("work")
        let deadLetterExchange = AMQPTestSupport.freshName("dlx")
        let deadLetters = AMQPTestSupport.freshName("dlq")
        try await connection.declare(AMQPTopology(
            exchanges: [AMQPExchange(name: deadLetterExchange, type: .direct)],
            queues: [
                AMQPQueue(name: deadLetters),
                AMQPQueue(name: work, deadLetterExchange: deadLetterExchange, deadLetterRoutingKey: "dead"),
            ],
            bindings: [AMQPBinding(queue: deadLetters, exchange: deadLetterExchange, routingKey: "dead")]
        ))
        try await connection.publish(exchange: "", routingKey: work, body: Array("once".utf8), properties: AMQPMessageProperties(messageID: "m-1"))

        let consumer = AMQPConsumer(configuration: configuration, queue: work, logger: testLogger("dlx.consumer"))
        let collector = DeliveryCollector()
        await collector.start(consumer) { delivery in
            delivery.redelivered ? .reject(requeue: false) : .nack(requeue: true)
        }
        let deliveries = await collector.waitFor(count: 2)
        try #require(deliveries.count == 2)
        #expect(!deliveries[0].redelivered)
        #expect(deliveries[1].redelivered)
        #expect(deliveries[1].messageID == "m-1")

        let deadConsumer = AMQPConsumer(configuration: configuration, queue: deadLetters, logger: testLogger("dlq.consumer"))
        let deadCollector = DeliveryCollector()
        await deadCollector.start(deadConsumer) { _ in .ack }
        let dead = await deadCollector.waitFor(count: 1)
        try #require(dead.count == 1)
        #expect(dead[0].messageID == "m-1")
        #expect(dead[0].body == Array("once".utf8))
        #expect(dead[0].deathCount == 1)
        #expect(dead[0].deaths.first?.reason == "rejected")
        #expect(dead[0].deaths.first?.queue == work)

        await consumer.stop()
        await deadConsumer.stop()
        #expect(try await connection.messageCount(queue: work) == 0)
        #expect(try await connection.messageCount(queue: deadLetters) == 0)
        for queue in [work, deadLetters] { try await connection.deleteQueue(queue) }
        await connection.close()
    }

    @Test("200 concurrent publishes are all confirmed")
    func concurrentPublishes() async throws {
        let connection = AMQPConnection(configuration: configuration, logger: testLogger("concurrent"))
        let queue = AMQPTestSupport.freshName("burst")
        try await connection.declare(AMQPQueue(name: queue, kind: .quorum))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await connection.publish(
                        exchange: "", routingKey: queue, body: Array("message \(index)".utf8),
                        properties: AMQPMessageProperties(messageID: "m-\(index)", headers: ["x-attempt": .int(Int64(index))])
                    )
                }
            }
            try await group.waitForAll()
        }
        #expect(try await connection.messageCount(queue: queue) == 200)
        #expect(try await connection.deleteQueue(queue) == 200)
        await connection.close()
    }

    @Test("broker refusals are typed errors and the connection keeps working")
    func refusals() async throws {
        let connection = AMQPConnection(configuration: configuration, logger: testLogger("refusals"))
        let queue = AMQPTestSupport.freshName("refusals")
        try await connection.declare(AMQPQueue(name: queue))

        // Passive declare of a missing queue: 404 on the control channel.
        let missing = await #expect(throws: AMQPError.self) { try await connection.messageCount(queue: AMQPTestSupport.freshName("missing")) }
        #expect(missing?.isNotFound == true)
        // Re-declaring with other arguments: 406.
        let changed = await #expect(throws: AMQPError.self) { try await connection.declare(AMQPQueue(name: queue, messageTTLMilliseconds: 5)) }
        #expect(changed?.replyCode == 406)
        // Publishing to a missing exchange closes the publishing channel: 404, then it reopens.
        let noExchange = await #expect(throws: AMQPError.self) {
            try await connection.publish(exchange: AMQPTestSupport.freshName("nowhere"), routingKey: "x", body: [1])
        }
        #expect(noExchange?.code == .channelClosed)
        #expect(noExchange?.isNotFound == true)
        // A mandatory message no queue takes.
        let unroutable = await #expect(throws: AMQPError.self) {
            try await connection.publish(exchange: "amq.direct", routingKey: AMQPTestSupport.freshName("nobody"), body: [2],
                                         properties: AMQPMessageProperties(messageID: "u-1"), mandatory: true)
        }
        #expect(unroutable?.code == .unroutable)
        // Not mandatory: silently dropped by the broker but confirmed.
        try await connection.publish(exchange: "amq.direct", routingKey: AMQPTestSupport.freshName("nobody"), body: [3])

        try await connection.publish(exchange: "", routingKey: queue, body: [4])
        #expect(try await connection.messageCount(queue: queue) == 1)
        try await connection.ping()
        try await connection.deleteQueue(queue)
        await connection.close()
        let closed = await #expect(throws: AMQPError.self) { try await connection.ping() }
        #expect(closed?.code == .shutdown)
    }

    @Test("with no broker, calls wait for the reconnect timeout then throw; ping fails at once")
    func unreachableBroker() async throws {
        var configuration = configuration
        configuration.port = 1 // nothing listens there
        configuration.reconnectWaitTimeout = .milliseconds(400)
        let connection = AMQPConnection(configuration: configuration, logger: testLogger("unreachable"))
        let clock = ContinuousClock()
        let pingStart = clock.now
        let pingError = await #expect(throws: AMQPError.self) { try await connection.ping() }
        #expect(pingError?.code == .notConnected)
        #expect(clock.now - pingStart < .milliseconds(200))

        let start = clock.now
        let error = await #expect(throws: AMQPError.self) { try await connection.publish(exchange: "", routingKey: "q", body: [1]) }
        let waited = clock.now - start
        #expect(error?.code == .notConnected)
        #expect(waited >= .milliseconds(350) && waited < .seconds(3))
        #expect(!connection.isConnected)
        await connection.close()
    }

    @Test("stopping a consumer ends its sequence; settling afterwards is a no-op")
    func consumerStop() async throws {
        let connection = AMQPConnection(configuration: configuration, logger: testLogger("stop"))
        let queue = AMQPTestSupport.freshName("stop")
        try await connection.declare(AMQPQueue(name: queue))
        try await connection.publish(exchange: "", routingKey: queue, body: [1])
        let consumer = AMQPConsumer(configuration: configuration, queue: queue, logger: testLogger("stop.consumer"))
        let collector = DeliveryCollector()
        await collector.start(consumer) { _ in nil } // leave it unsettled
        let deliveries = await collector.waitFor(count: 1)
        try #require(deliveries.count == 1)
        await consumer.stop()
        await collector.finished()
        #expect(await consumer.settle(deliveries[0], .ack) == false)
        // The unsettled message went back to the queue.
        #expect(try await connection.messageCount(queue: queue) == 1)

        // Cancelling the iterating task stops a consumer too.
        let second = AMQPConsumer(configuration: configuration, queue: queue, logger: testLogger("stop.cancel"))
        let iteration = Task { for await _ in second.deliveries {} }
        try await Task.sleep(for: .milliseconds(300))
        iteration.cancel()
        await iteration.value
        await second.stop()
        #expect(!second.isConnected)
        try await connection.deleteQueue(queue)
        await connection.close()
    }
}
