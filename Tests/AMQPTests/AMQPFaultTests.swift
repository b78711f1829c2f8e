import AMQP
import Foundation
import Testing
import TestSupport

/// Restarts the shared broker, so it runs only in the serial fault pass of `scripts/test`.
@Suite("Fault: AMQP across a broker restart", .serialized, .enabled(if: ProcessInfo.processInfo.environment["RENDEZVOUS_FAULT_TESTS"] == "1"))
struct AMQPFaultTests {
    let configuration: AMQPConfiguration

    init() throws {
        configuration = try TestEnvironment.amqpConfiguration()
    }

    @Test(
        "persistent confirmed messages survive a broker restart; publisher and consumer reconnect",
        .enabled(if: FileManager.default.isExecutableFile(atPath: Stack.script.path), "needs scripts/stack"),
        .timeLimit(.minutes(3))
    )
    func brokerRestart() async throws {
        var configuration = configuration
        configuration.reconnectWaitTimeout = .seconds(60)
        let progress = testLogger("restart.test")
        let publisher = AMQPConnection(configuration: configuration, logger: testLogger("restart.publisher"))
        let stored = AMQPTestSupport.freshName("durable")
        let live = AMQPTestSupport.freshName("live")
        try await publisher.declare(AMQPQueue(name: stored, kind: .quorum))
        try await publisher.declare(AMQPQueue(name: live, kind: .quorum))

        // A consumer that exists across the restart; it leaves "hold" unsettled until after it.
        let liveConsumer = AMQPConsumer(configuration: configuration, queue: live, logger: testLogger("restart.live"))
        let liveCollector = DeliveryCollector()
        await liveCollector.start(liveConsumer) { delivery in
            delivery.messageID == "hold" && !delivery.redelivered ? nil : .ack
        }
        try await publisher.publish(exchange: "", routingKey: live, body: Array("before".utf8), properties: AMQPMessageProperties(messageID: "before"))
        try await publisher.publish(exchange: "", routingKey: live, body: Array("hold".utf8), properties: AMQPMessageProperties(messageID: "hold"))
        let held = await liveCollector.waitFor(count: 2)
        try #require(held.count == 2)

        let count = 50
        for index in 0..<count {
            try await publisher.publish(exchange: "", routingKey: stored, body: Array("stored \(index)".utf8),
                                        properties: AMQPMessageProperties(messageID: "s-\(index)"))
        }

        progress.info("published before the restart")
        #expect(try await Stack.status(["restart", "rabbitmq"]) == 0)
        progress.info("broker restarted")

        // The publisher made before the restart publishes again (waiting for its reconnect).
        try await publisher.publish(exchange: "", routingKey: live, body: Array("after".utf8), properties: AMQPMessageProperties(messageID: "after"))
        let liveDeliveries = await liveCollector.waitFor(count: 4, timeout: .seconds(30))
        try #require(liveDeliveries.count == 4)
        #expect(liveDeliveries[2...].contains { $0.messageID == "after" && $0.body == Array("after".utf8) })
        // The unsettled delivery came back on the new connection; the old one cannot be acked any more.
        #expect(liveDeliveries[2...].contains { $0.messageID == "hold" && $0.redelivered })
        #expect(await liveConsumer.settle(held[1], .ack) == false)
        try await publisher.ping()
        progress.info("publisher and live consumer work again")

        // Every stored message, exactly once.
        #expect(try await publisher.messageCount(queue: stored) == UInt32(count))
        progress.info("stored messages counted")
        let consumer = AMQPConsumer(configuration: configuration, queue: stored, prefetch: 8, logger: testLogger("restart.stored"))
        let collector = DeliveryCollector()
        await collector.start(consumer) { _ in .ack }
        _ = await collector.waitFor(count: count, timeout: .seconds(20))
        try await Task.sleep(for: .milliseconds(500)) // room for a duplicate to show up
        await consumer.stop()
        let received = await collector.waitFor(count: count, timeout: .zero)
        let ids = received.compactMap(\.messageID)
        #expect(ids.count == count)
        #expect(Set(ids) == Set((0..<count).map { "s-\($0)" }))
        #expect(try await publisher.messageCount(queue: stored) == 0)

        await liveConsumer.stop()
        try await publisher.deleteQueue(stored)
        try await publisher.deleteQueue(live)
        await publisher.close()
    }
}
