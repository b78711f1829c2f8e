import AMQP
import Events
import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Outbox and relay against PostgreSQL and RabbitMQ")
struct OutboxRelayTests {
    /// A fresh quorum queue bound to `type` on the events exchange, with a collecting consumer.
    struct Probe {
        let queue: String
        let amqp: AMQPConnection
        let consumer: AMQPConsumer
        let collector: DeliveryLog

        init(type: String, tag: String) async throws {
            let configuration = try TestEnvironment.amqpConfiguration()
            queue = "test.events.\(tag)"
            amqp = AMQPConnection(configuration: configuration, logger: testLogger("probe.amqp"))
            try await amqp.declare(AMQPTopology(
                exchanges: [EventTopology.exchange],
                queues: [AMQPQueue(name: queue, kind: .quorum)],
                bindings: [AMQPBinding(queue: queue, exchange: EventTopology.exchangeName, routingKey: type)]
            ))
            consumer = AMQPConsumer(configuration: configuration, queue: queue, prefetch: 64, logger: testLogger("probe.consumer"))
            collector = DeliveryLog()
            await collector.start(consumer)
        }

        func close() async {
            await consumer.stop()
            _ = try? await amqp.deleteQueue(queue)
            await amqp.close()
        }
    }

    func relay(_ database: PostgresClient, _ amqp: AMQPConnection, batchSize: Int = 100, pollInterval: Duration = .seconds(1)) -> OutboxRelay {
        OutboxRelay(
            database: database, amqp: amqp, logger: testLogger("relay"),
            databaseURL: EventsTestSupport.databaseURL,
            configuration: .init(batchSize: batchSize, pollInterval: pollInterval, retryInitialDelay: .milliseconds(50))
        )
    }

    @Test("an event enqueued in a rolled-back transaction is never published; a committed one carries id, type and request id")
    func rollbackPublishesNothing() async throws {
        let database = try await EventsTestSupport.database()
        let tag = freshTag()
        let type = "test.\(tag).rollback"
        let probe = try await Probe(type: type, tag: tag)

        struct Abort: Error {}
        let rolledBack = UUID()
        await #expect(throws: Abort.self) {
            try await database.withTransaction { session in
                try await Outbox.enqueue(type: type, version: 1, data: TestChange(sequence: 0, note: "rolled back"), id: rolledBack, requestID: nil, in: session)
                throw Abort()
            }
        }
        let committed = try await database.withTransaction { session in
            try await Outbox.enqueue(type: type, version: 1, data: TestChange(sequence: 1, note: "committed"), requestID: "req-\(tag)", in: session)
        }
        let rows = try await database.query("SELECT count(*)::int AS n FROM outbox WHERE id = \(rolledBack)")
        #expect(try rows[0].decode("n", as: Int.self) == 0)

        let deliveries = try await withServices([relay(database, probe.amqp)]) {
            _ = await probe.collector.waitFor(count: 1, timeout: .seconds(15))
            try await Task.sleep(for: .milliseconds(300))  // room for anything else to show up
            return await probe.collector.deliveries
        }
        try #require(deliveries.count == 1)
        let delivery = deliveries[0]
        #expect(delivery.messageID == committed.postgresText)
        #expect(delivery.routingKey == type)
        #expect(delivery.exchange == EventTopology.exchangeName)
        #expect(delivery.properties.contentType == "application/json")
        #expect(delivery.properties.persistent)
        #expect(delivery.headers["x-request-id"]?.stringValue == "req-\(tag)")
        let envelope = try EventCoding.decoder.decode(EventEnvelope<TestChange>.self, from: Data(delivery.body))
        #expect(envelope.id == committed)
        #expect(envelope.data == TestChange(sequence: 1, note: "committed"))
        let sent = try await database.query("SELECT published_at IS NOT NULL AS sent FROM outbox WHERE id = \(committed)")
        #expect(try sent[0].decode("sent", as: Bool.self))

        await probe.close()
        try await database.shutdown()
    }

    @Test("two relays over one outbox publish each row exactly once")
    func twoRelaysPublishEachRowOnce() async throws {
        let database = try await EventsTestSupport.database()
        let tag = freshTag()
        let type = "test.\(tag).pair"
        let probe = try await Probe(type: type, tag: tag)
        let count = 400
        var ids = Set<UUID>()
        for batch in 0..<(count / 10) {
            let batchIDs = try await database.withTransaction { session in
                var made: [UUID] = []
                for index in 0..<10 {
                    made.append(try await Outbox.enqueue(type: type, version: 1, data: TestChange(sequence: batch * 10 + index, note: "pair"), requestID: nil, in: session))
                }
                return made
            }
            ids.formUnion(batchIDs)
        }
        let second = AMQPConnection(configuration: try TestEnvironment.amqpConfiguration(), logger: testLogger("relay.second"))
        let received = try await withServices([relay(database, probe.amqp, batchSize: 16), relay(database, second, batchSize: 16)]) {
            _ = await probe.collector.waitFor(count: count, timeout: .seconds(60))
            try await Task.sleep(for: .milliseconds(500))
            return await probe.collector.deliveries.compactMap(\.messageID)
        }
        #expect(received.count == count)
        #expect(Set(received) == Set(ids.map(\.postgresText)))

        await second.close()
        await probe.close()
        try await database.shutdown()
    }

    @Test("LISTEN/NOTIFY wakes an idle relay long before its poll interval")
    func notifyWakesTheRelay() async throws {
        let database = try await EventsTestSupport.database()
        let tag = freshTag()
        let type = "test.\(tag).notify"
        let probe = try await Probe(type: type, tag: tag)
        try await withServices([relay(database, probe.amqp, pollInterval: .seconds(60))]) {
            try await Task.sleep(for: .milliseconds(500))  // the relay is idle, listening
            let start = ContinuousClock.now
            _ = try await database.withTransaction { session in
                try await Outbox.enqueue(type: type, version: 1, data: TestChange(sequence: 1, note: "notify"), requestID: nil, in: session)
            }
            let got = await probe.collector.waitFor(count: 1, timeout: .seconds(10))
            #expect(got.count == 1)
            #expect(ContinuousClock.now - start < .seconds(3))
        }
        await probe.close()
        try await database.shutdown()
    }

    @Test("the listener yields listening, then each NOTIFY on its channels")
    func listenerDeliversNotifications() async throws {
        let database = try await EventsTestSupport.database()
        let channel = "events_test_\(freshTag())"
        let listener = PostgresListener(url: EventsTestSupport.databaseURL, channels: [channel], logger: testLogger("listener"))
        var iterator = listener.events.makeAsyncIterator()
        #expect(await iterator.next() == .listening)
        try await database.query("SELECT pg_notify(\(channel), 'one')")
        try await database.query("SELECT pg_notify(\(channel), 'two')")
        #expect(await iterator.next() == .notification(channel: channel, payload: "one"))
        #expect(await iterator.next() == .notification(channel: channel, payload: "two"))
        listener.stop()
        #expect(await iterator.next() == nil)
        try await database.shutdown()
    }
}

/// Collects (and acks) a consumer's deliveries.
actor DeliveryLog {
    private(set) var deliveries: [AMQPDelivery] = []
    private var task: Task<Void, Never>?

    func start(_ consumer: AMQPConsumer) {
        task = Task {
            for await delivery in consumer.deliveries {
                await consumer.settle(delivery, .ack)
                self.append(delivery)
            }
        }
    }

    private func append(_ delivery: AMQPDelivery) { deliveries.append(delivery) }

    func waitFor(count: Int, timeout: Duration) async -> [AMQPDelivery] {
        let deadline = ContinuousClock.now + timeout
        while deliveries.count < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return deliveries
    }
}
